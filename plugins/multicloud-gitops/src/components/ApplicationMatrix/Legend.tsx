/** @jsxImportSource react */
import {
  HEALTH_STATUSES,
  SYNC_STATUSES,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import {
  HEALTH_STATUS,
  StatusIcon,
  StatusStyle,
  SYNC_STATUS,
  useToneClasses,
} from '../StatusLabel';
import { useStyles } from './styles';

/** Every sync icon, then every health icon, each with its word. */
export function Legend() {
  const classes = useStyles();
  const tones = useToneClasses();
  const item = (key: string, status: StatusStyle) => (
    <span key={key} className={classes.legendItem}>
      <StatusIcon status={status} tones={tones} className={classes.icon} />
      {status.text}
    </span>
  );
  return (
    <div className={classes.legend} aria-label="Legend">
      {SYNC_STATUSES.map(s => item(s, SYNC_STATUS[s]))}
      <span aria-hidden>|</span>
      {HEALTH_STATUSES.map(h => item(h, HEALTH_STATUS[h]))}
    </div>
  );
}
