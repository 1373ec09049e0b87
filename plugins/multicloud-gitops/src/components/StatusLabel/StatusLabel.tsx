/** @jsxImportSource react */
import { ComponentType, PropsWithChildren } from 'react';
import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import { makeStyles } from '@material-ui/core/styles';
import {
  ClusterStatus,
  HealthStatus,
  SourceState,
  SyncStatus,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';

type StatusComponent = ComponentType<PropsWithChildren<{}>>;
interface Presentation {
  Icon: StatusComponent;
  text: string;
}

/**
 * Every status is shown as an icon whose *shape* differs per severity plus a word, so no
 * one needs to tell red from green. The Backstage Status* components are aria-hidden, so
 * the word is rendered outside them where screen readers can reach it.
 */
export const CLUSTER_STATUS: Record<ClusterStatus, Presentation> = {
  available: { Icon: StatusOK, text: 'Available' },
  unavailable: { Icon: StatusError, text: 'Unavailable' },
  unknown: { Icon: StatusWarning, text: 'Unknown' },
  'pending-import': { Icon: StatusPending, text: 'Pending import' },
};

export const SYNC_STATUS: Record<SyncStatus, Presentation> = {
  Synced: { Icon: StatusOK, text: 'Synced' },
  OutOfSync: { Icon: StatusWarning, text: 'Out of sync' },
  Unknown: { Icon: StatusAborted, text: 'Sync unknown' },
};

export const HEALTH_STATUS: Record<HealthStatus, Presentation> = {
  Healthy: { Icon: StatusOK, text: 'Healthy' },
  Progressing: { Icon: StatusRunning, text: 'Progressing' },
  Degraded: { Icon: StatusError, text: 'Degraded' },
  Suspended: { Icon: StatusPending, text: 'Suspended' },
  Missing: { Icon: StatusWarning, text: 'Missing' },
  Unknown: { Icon: StatusAborted, text: 'Health unknown' },
};

export const SOURCE_STATE: Record<SourceState, Presentation> = {
  ok: { Icon: StatusOK, text: 'OK' },
  stale: { Icon: StatusWarning, text: 'Stale' },
  error: { Icon: StatusError, text: 'Error' },
};

const useStyles = makeStyles({
  root: {
    display: 'inline-flex',
    alignItems: 'baseline',
    whiteSpace: 'nowrap',
  },
});

function Label(props: {
  p: Presentation | undefined;
  fallback: string;
  suffix?: string;
}) {
  const classes = useStyles();
  const p = props.p ?? { Icon: StatusAborted, text: props.fallback };
  return (
    <span className={classes.root}>
      <p.Icon />
      <span>
        {p.text}
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
      p={CLUSTER_STATUS[props.status]}
      fallback={props.status}
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
    <Label
      p={SYNC_STATUS[props.status]}
      fallback={props.status}
      suffix={props.suffix}
    />
  );
}

/** @public */
export function HealthStatusLabel(props: {
  status: HealthStatus;
  suffix?: string;
}) {
  return (
    <Label
      p={HEALTH_STATUS[props.status]}
      fallback={props.status}
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
    <Label
      p={SOURCE_STATE[props.state]}
      fallback={props.state}
      suffix={props.suffix}
    />
  );
}

export function clusterStatusText(s: ClusterStatus) {
  return CLUSTER_STATUS[s]?.text ?? s;
}
export function syncStatusText(s: SyncStatus) {
  return SYNC_STATUS[s]?.text ?? s;
}
export function healthStatusText(s: HealthStatus) {
  return HEALTH_STATUS[s]?.text ?? s;
}

const TONES = {
  ok: StatusOK,
  warning: StatusWarning,
  error: StatusError,
  pending: StatusPending,
  running: StatusRunning,
  aborted: StatusAborted,
};

/** A status icon plus readable text, for ad-hoc states (conditions, nodes, policies). */
export function StatusText(props: {
  tone: keyof typeof TONES;
  children: string;
}) {
  return (
    <Label
      p={{ Icon: TONES[props.tone], text: props.children }}
      fallback={props.children}
    />
  );
}
