/** @jsxImportSource react */
import { useRef, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import {
  ApplicationActionResponse,
  ApplicationSummary,
  applicationSyncPermission,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import { multicloudGitopsApiRef } from '../../api';
import { HealthStatusLabel, SyncStatusLabel } from '../StatusLabel';
import { describeError } from '../../lib/errors';

type Action = 'sync' | 'refresh';

const ACTION_TEXT: Record<
  Action,
  { verb: string; running: string; explain: string }
> = {
  sync: {
    verb: 'Sync',
    running: 'Asking Argo CD to sync',
    explain:
      'Argo CD applies the desired state from git to the cluster. Resources that drifted are changed back.',
  },
  refresh: {
    verb: 'Refresh',
    running: 'Asking Argo CD to refresh',
    explain:
      'Argo CD re-reads git and the cluster and recomputes the sync status. Nothing on the cluster changes.',
  },
};

/** Phases after which an Argo CD operation will not change any more. */
const TERMINAL_PHASES = new Set(['Succeeded', 'Failed', 'Error', 'Terminated']);

export interface ApplicationActionsProps {
  /** The live application; its status updates while the dialog is open. */
  application: ApplicationSummary;
  hub: string;
  /** Catalog entity the user acts through; the permission is checked against it. */
  entityRef: string;
  /**
   * The backend says the hub can carry actions to the application's cluster
   * (`ClusterDetails.hubActions`): an application no configured Argo CD instance serves gets
   * Sync and Refresh too.
   */
  hubActions?: boolean;
}

/**
 * Sync and Refresh for one Argo CD application. The buttons only appear when the user
 * holds `multicloud-gitops.application.sync` on the entity; the backend checks it again.
 */
export function ApplicationActions(props: ApplicationActionsProps) {
  const { application: app, hub, entityRef, hubActions } = props;
  const api = useApi(multicloudGitopsApiRef);
  const { allowed, loading } = usePermission({
    permission: applicationSyncPermission,
    resourceRef: entityRef,
  });
  const [action, setAction] = useState<Action>();
  const [phase, setPhase] = useState<'confirm' | 'running' | 'done' | 'failed'>(
    'confirm',
  );
  const [result, setResult] = useState<ApplicationActionResponse>();
  const [error, setError] = useState<Error>();
  // The application as it was when the call returned. Until the live topology brings a
  // newer object, its operation phase is the *previous* operation's, so the call's own
  // answer is shown instead.
  const [appAtResult, setAppAtResult] = useState<ApplicationSummary>();
  const latestApp = useRef(app);
  latestApp.current = app;

  if (loading || !allowed) return null;
  if (!app.instance && !hubActions) {
    // Only ACM Search reported this application and the hub cannot reach its cluster now:
    // nothing can take the call. Say so rather than leave an unexplained empty cell.
    return (
      <Typography
        variant="caption"
        color="textSecondary"
        title="The cluster is not available to the hub. Or add the Argo CD instance that serves this cluster to multicloudGitops.hubs[].argocd."
      >
        No Argo CD instance configured
      </Typography>
    );
  }
  const instance = app.instance;

  const open = (a: Action) => {
    setAction(a);
    setPhase('confirm');
    setResult(undefined);
    setAppAtResult(undefined);
    setError(undefined);
  };
  const close = () => setAction(undefined);

  const run = async () => {
    if (!action) return;
    setPhase('running');
    try {
      const request = {
        hub,
        ...(instance ? { instance } : { cluster: app.cluster }),
        name: app.name,
        namespace: app.namespace,
        entityRef,
      };
      const response =
        action === 'sync'
          ? await api.syncApplication(request)
          : await api.refreshApplication(request);
      setResult(response);
      setAppAtResult(latestApp.current);
      setPhase('done');
    } catch (e) {
      setError(e as Error);
      setPhase('failed');
    }
  };

  const text = action ? ACTION_TEXT[action] : undefined;
  const where = `${app.name} on ${app.cluster}`;
  // After the call returns, the live application (pushed through the event stream) shows
  // how the operation proceeds; the call's own answer is shown until then.
  const fresh = !!appAtResult && app !== appAtResult;
  const shown = {
    sync: fresh || !result ? app.sync : result.sync,
    health: fresh || !result ? app.health : result.health,
    phase: fresh || !result ? app.operationPhase : result.operationPhase,
  };
  const settled =
    phase === 'done' &&
    (action === 'refresh' || !shown.phase || TERMINAL_PHASES.has(shown.phase));

  return (
    <>
      <Box display="inline-flex" style={{ gap: 4, whiteSpace: 'nowrap' }}>
        <Button
          size="small"
          variant="outlined"
          onClick={() => open('sync')}
          aria-label={`Sync ${where}`}
        >
          Sync
        </Button>
        <Button
          size="small"
          onClick={() => open('refresh')}
          aria-label={`Refresh ${where}`}
        >
          Refresh
        </Button>
      </Box>
      <Dialog
        open={!!action}
        onClose={phase === 'running' ? undefined : close}
        aria-labelledby="mcg-action-title"
        fullWidth
        maxWidth="sm"
      >
        {text && (
          <>
            <DialogTitle id="mcg-action-title">
              {text.verb} {where}?
            </DialogTitle>
            <DialogContent>
              <DialogContentText>
                {text.explain}{' '}
                {instance ? (
                  <>
                    Argo CD instance <b>{instance}</b> on hub <b>{hub}</b>.
                  </>
                ) : (
                  <>
                    Hub <b>{hub}</b> carries the request to the cluster's Argo
                    CD (ACM ManagedClusterAction).
                  </>
                )}
              </DialogContentText>
              {phase === 'running' && (
                <Box my={2}>
                  <Typography variant="body2">{text.running}…</Typography>
                  <LinearProgress aria-label={`${text.running} ${where}`} />
                </Box>
              )}
              {phase === 'done' && result && (
                <Box my={2} role="status">
                  <Typography variant="body2" gutterBottom>
                    {result.message}
                  </Typography>
                  <Box
                    display="flex"
                    style={{ gap: 16 }}
                    alignItems="baseline"
                    flexWrap="wrap"
                  >
                    <SyncStatusLabel status={shown.sync} />
                    <HealthStatusLabel status={shown.health} />
                    {shown.phase && <span>Operation: {shown.phase}</span>}
                  </Box>
                  {!settled && (
                    <LinearProgress
                      aria-label={`Operation on ${where} in progress`}
                    />
                  )}
                </Box>
              )}
              {phase === 'failed' && error && (
                <Box my={2} role="alert">
                  <Typography color="error" variant="body2">
                    {describeError(error).name === 'NotAllowedError'
                      ? `You are not allowed to ${action} this application: ${
                          describeError(error).message
                        }`
                      : `${text.verb} failed: ${describeError(error).message}`}
                  </Typography>
                </Box>
              )}
            </DialogContent>
            <DialogActions>
              {phase === 'confirm' || phase === 'failed' ? (
                <>
                  <Button onClick={close}>Cancel</Button>
                  <Button color="primary" variant="contained" onClick={run}>
                    {phase === 'failed' ? 'Try again' : text.verb}
                  </Button>
                </>
              ) : (
                <Button onClick={close} disabled={phase === 'running'}>
                  Close
                </Button>
              )}
            </DialogActions>
          </>
        )}
      </Dialog>
    </>
  );
}
