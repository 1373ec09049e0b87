/** @jsxImportSource react */
import { useCallback, useState } from 'react';
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
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import {
  applicationSyncPermission,
  HistoryEntry,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import { ApplicationRef, multicloudGitopsApiRef } from '../../api';
import { describeError } from '../../lib/errors';
import { shortSha } from '../RevisionSpread';
import { useAbortableLoad } from '../RevisionSpread/useAbortableLoad';

const when = (iso?: string) =>
  iso ? new Date(iso).toLocaleString(undefined, { timeZone: 'UTC' }) : '';

/** Whether the user holds the sync permission on the entity (as the Sync button asks). */
function useMayRollback(entityRef?: string) {
  const { allowed, loading } = usePermission({
    permission: applicationSyncPermission,
    resourceRef: entityRef ?? '',
  });
  return !!entityRef && !loading && allowed;
}

export interface ApplicationHistoryProps {
  app: ApplicationRef;
  /** The entity the user acts through; without it, no Rollback. */
  entityRef?: string;
  /**
   * The application's state as the live view last showed it (sync, operation, revision):
   * the history is read again when it changes, so a sync or rollback finishing elsewhere,
   * or started here, shows its entry without reopening the drawer.
   */
  stateKey?: string;
}

/**
 * The sync history of one application with each commit's author and message, and a
 * Rollback per earlier entry for those allowed to sync it.
 */
export function ApplicationHistory(props: ApplicationHistoryProps) {
  const { hub, cluster, name, namespace } = props.app;
  const api = useApi(multicloudGitopsApiRef);
  const mayRollback = useMayRollback(props.entityRef);
  const [reload, setReload] = useState(0);
  const [target, setTarget] = useState<HistoryEntry>();
  const [phase, setPhase] = useState<'confirm' | 'running' | 'done' | 'failed'>(
    'confirm',
  );
  const [outcome, setOutcome] = useState<string>();

  const { value: history, error } = useAbortableLoad(
    signal =>
      api.getApplicationHistory({ hub, cluster, name, namespace }, { signal }),
    [api, hub, cluster, name, namespace, reload, props.stateKey],
  );

  const rollback = useCallback(async () => {
    if (!target || !props.entityRef) return;
    setPhase('running');
    try {
      const r = await api.rollbackApplication({
        hub,
        cluster,
        name,
        namespace,
        id: target.id,
        entityRef: props.entityRef,
      });
      setOutcome(r.message);
      setPhase('done');
      setReload(n => n + 1);
    } catch (e) {
      const d = describeError(e as Error);
      setOutcome(
        d.name === 'NotAllowedError'
          ? `You are not allowed to roll back this application: ${d.message}`
          : `Rollback failed: ${d.message}`,
      );
      setPhase('failed');
    }
  }, [api, target, props.entityRef, hub, cluster, name, namespace]);

  if (error)
    return (
      <Typography color="error" variant="body2" role="alert">
        Cannot load the history of {name}: {describeError(error).message}
      </Typography>
    );
  if (!history || history.application !== name || history.cluster !== cluster)
    return <LinearProgress aria-label={`Loading the history of ${name}`} />;
  if (!history.entries.length)
    return <Typography variant="body2">No syncs recorded yet.</Typography>;
  const showRollback = mayRollback && history.rollbackAllowed;
  return (
    <>
      {mayRollback && !history.rollbackAllowed && history.rollbackReason && (
        <Typography variant="caption" color="textSecondary" component="p">
          No rollback: {history.rollbackReason}
        </Typography>
      )}
      <Table size="small" aria-label={`Sync history of ${name}`}>
        <TableHead>
          <TableRow>
            <TableCell>Revision</TableCell>
            <TableCell>Author</TableCell>
            <TableCell>Message</TableCell>
            <TableCell>Deployed (UTC)</TableCell>
            {showRollback && <TableCell />}
          </TableRow>
        </TableHead>
        <TableBody>
          {history.entries.map(e => (
            <TableRow key={e.id} data-testid={`history-${e.id}`}>
              <TableCell>
                <code title={e.revision}>{shortSha(e.revision)}</code>
                {e.current ? ' (running)' : ''}
              </TableCell>
              <TableCell>{e.commit?.author ?? ''}</TableCell>
              <TableCell>
                {e.commit ? (
                  e.commit.message
                ) : (
                  <Typography variant="caption" color="textSecondary">
                    {e.commitError}
                  </Typography>
                )}
              </TableCell>
              <TableCell>
                {when(e.deployedAt)}
                {e.initiatedBy ? ` by ${e.initiatedBy}` : ''}
              </TableCell>
              {showRollback && (
                <TableCell>
                  {!e.current && (
                    <Button
                      size="small"
                      variant="outlined"
                      style={{ whiteSpace: 'nowrap' }}
                      aria-label={`Roll back ${name} to ${shortSha(
                        e.revision,
                      )}`}
                      onClick={() => {
                        setTarget(e);
                        setPhase('confirm');
                        setOutcome(undefined);
                      }}
                    >
                      Rollback
                    </Button>
                  )}
                </TableCell>
              )}
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <Dialog
        open={!!target}
        onClose={phase === 'running' ? undefined : () => setTarget(undefined)}
        aria-labelledby="mcg-rollback-title"
        fullWidth
        maxWidth="sm"
      >
        {target && (
          <>
            <DialogTitle id="mcg-rollback-title">
              Roll back {name} on {cluster} to {shortSha(target.revision)}?
            </DialogTitle>
            <DialogContent>
              <DialogContentText>
                Argo CD syncs the application to the revision of history entry{' '}
                {target.id}
                {target.commit ? ` (“${target.commit.message}”)` : ''}. Git is
                not changed: the application shows OutOfSync until git moves
                too.
              </DialogContentText>
              {phase === 'running' && (
                <LinearProgress aria-label={`Rolling back ${name}`} />
              )}
              {outcome && (
                <Box my={2} role={phase === 'failed' ? 'alert' : 'status'}>
                  <Typography
                    variant="body2"
                    color={phase === 'failed' ? 'error' : 'textPrimary'}
                  >
                    {outcome}
                  </Typography>
                </Box>
              )}
            </DialogContent>
            <DialogActions>
              {phase === 'confirm' || phase === 'failed' ? (
                <>
                  <Button onClick={() => setTarget(undefined)}>Cancel</Button>
                  <Button
                    color="primary"
                    variant="contained"
                    onClick={rollback}
                  >
                    {phase === 'failed' ? 'Try again' : 'Rollback'}
                  </Button>
                </>
              ) : (
                <Button
                  onClick={() => setTarget(undefined)}
                  disabled={phase === 'running'}
                >
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
