/** @jsxImportSource react */
import { makeStyles } from '@material-ui/core/styles';
import {
  ClusterStatus,
  HealthStatus,
  SourceState,
  SyncStatus,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import {
  CLUSTER_STATUS,
  HEALTH_STATUS,
  SOURCE_STATE,
  SYNC_STATUS,
  StatusIcon,
  StatusStyle,
  TONE_ICON,
  Tone,
  styleOf,
  useToneClasses,
} from './statusStyle';

const useStyles = makeStyles(theme => ({
  root: {
    display: 'inline-flex',
    alignItems: 'baseline',
    whiteSpace: 'nowrap',
  },
  icon: {
    flexShrink: 0,
    position: 'relative',
    top: '0.125em',
    width: '0.8em',
    height: '0.8em',
    marginRight: theme.spacing(1),
  },
}));

/**
 * An icon plus a word. The icon is aria-hidden, so the word is rendered beside it where
 * screen readers can reach it.
 */
function Label(props: { status: StatusStyle; suffix?: string }) {
  const classes = useStyles();
  const tones = useToneClasses();
  return (
    <span className={classes.root}>
      <StatusIcon
        status={props.status}
        tones={tones}
        className={classes.icon}
      />
      <span>
        {props.status.text}
        {props.suffix}
      </span>
    </span>
  );
}

/** @public */
export function ClusterStatusLabel(props: {
  status: ClusterStatus;
  suffix?: string;
}) {
  return (
    <Label
      status={styleOf(CLUSTER_STATUS, props.status)}
      suffix={props.suffix}
    />
  );
}

/** @public */
export function SyncStatusLabel(props: {
  status: SyncStatus;
  suffix?: string;
}) {
  return (
    <Label status={styleOf(SYNC_STATUS, props.status)} suffix={props.suffix} />
  );
}

/** @public */
export function HealthStatusLabel(props: {
  status: HealthStatus;
  suffix?: string;
}) {
  return (
    <Label
      status={styleOf(HEALTH_STATUS, props.status)}
      suffix={props.suffix}
    />
  );
}

/** @public */
export function SourceStateLabel(props: {
  state: SourceState;
  suffix?: string;
}) {
  return (
    <Label status={styleOf(SOURCE_STATE, props.state)} suffix={props.suffix} />
  );
}

export function clusterStatusText(s: ClusterStatus) {
  return styleOf(CLUSTER_STATUS, s).text;
}
export function syncStatusText(s: SyncStatus) {
  return styleOf(SYNC_STATUS, s).text;
}
export function healthStatusText(s: HealthStatus) {
  return styleOf(HEALTH_STATUS, s).text;
}

/** A status icon plus readable text, for ad-hoc states (conditions, nodes, policies). */
export function StatusText(props: { tone: Tone; children: string }) {
  return (
    <Label
      status={{
        Icon: TONE_ICON[props.tone],
        tone: props.tone,
        text: props.children,
      }}
    />
  );
}
