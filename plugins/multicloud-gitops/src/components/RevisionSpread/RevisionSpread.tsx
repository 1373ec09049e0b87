/** @jsxImportSource react */
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { multicloudGitopsApiRef } from '../../api';
import { describeError } from '../../lib/errors';
import { useAbortableLoad } from './useAbortableLoad';

export const shortSha = (revision: string) =>
  /^[0-9a-f]{40}$/.test(revision) ? revision.slice(0, 7) : revision;

export interface RevisionSpreadProps {
  hub: string;
  application: string;
  /** The entity's view narrows the clusters; without it, the whole hub. */
  entityRef?: string;
  /** Topology version: a new one reloads (the answer is revalidated by its ETag). */
  version?: number;
}

/** Which commit of an application runs on how many clusters, and which clusters lag. */
export function RevisionSpread(props: RevisionSpreadProps) {
  const { hub, application, entityRef, version } = props;
  const api = useApi(multicloudGitopsApiRef);
  const { value: spread, error } = useAbortableLoad(
    signal =>
      api.getRevisionSpread(
        { name: application, ...(entityRef ? { entityRef } : { hub }) },
        { signal },
      ),
    [api, hub, application, entityRef, version],
  );

  if (error)
    return (
      <Typography color="error" variant="body2" role="alert">
        Cannot load where {application} runs: {describeError(error).message}
      </Typography>
    );
  if (!spread || spread.application !== application)
    return <LinearProgress aria-label={`Loading where ${application} runs`} />;
  const known = spread.total - spread.unknown.length;
  return (
    <Box aria-label={`Revisions of ${application}`} role="region">
      <Typography variant="body2" gutterBottom>
        {application} runs on {spread.total} cluster
        {spread.total === 1 ? '' : 's'}
        {known < spread.total ? ` (revision known on ${known})` : ''}.
      </Typography>
      <Box component="ul" m={0} pl={2}>
        {spread.revisions.map(r => (
          <li key={r.revision} data-testid={`spread-${r.revision}`}>
            <Typography variant="body2" component="span">
              <code title={r.revision}>{shortSha(r.revision)}</code> on{' '}
              {r.clusters.length} cluster{r.clusters.length === 1 ? '' : 's'}
              {r.revision === spread.leading ? ' (newest)' : ''}:{' '}
              {r.clusters.join(', ')}
            </Typography>
          </li>
        ))}
      </Box>
      {spread.lagging.length > 0 && (
        <Typography variant="body2" color="error">
          Behind {shortSha(spread.leading ?? '')}: {spread.lagging.join(', ')}
        </Typography>
      )}
      {!spread.leading && spread.revisions.length > 1 && (
        <Typography variant="caption" color="textSecondary">
          As many clusters run each revision: none is known to be newer.
        </Typography>
      )}
      {spread.unknown.length > 0 && (
        <Typography variant="caption" color="textSecondary" component="p">
          Revision unknown on {spread.unknown.join(', ')}: ACM Search reports
          none. Configure those clusters' Argo CD instances to see it.
        </Typography>
      )}
    </Box>
  );
}
