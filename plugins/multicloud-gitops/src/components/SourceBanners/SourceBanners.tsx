/** @jsxImportSource react */
import { WarningPanel } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  SourceKind,
  SourceStatus,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import { formatSince } from '../../lib/time';

const KIND_TITLES: Record<SourceKind, string> = {
  acm: 'ACM hub API',
  search: 'ACM Search',
  argocd: 'Argo CD',
  config: 'Configuration',
};

/** What a degraded source means for the data on screen, in the user's words. */
const KIND_IMPACT: Record<SourceKind, string> = {
  acm: 'Cluster status, groups and policies may be out of date.',
  search:
    'Applications found only through Search may be missing or out of date.',
  argocd:
    'Sync and health of the applications this instance serves may be out of date.',
  config: 'Part of the configuration could not be used.',
};

export function sourceTitle(source: SourceStatus) {
  const kind = KIND_TITLES[source.kind] ?? source.kind;
  return source.name === source.kind ? kind : `${kind} (${source.name})`;
}

/**
 * One banner per source that is not `ok`: stale data is shown, but never silently. The
 * banner says since when, why, and when the source last answered.
 */
export function SourceBanners(props: { sources: SourceStatus[] }) {
  const degraded = props.sources.filter(s => s.state !== 'ok');
  if (degraded.length === 0) return null;
  return (
    <Box
      display="flex"
      flexDirection="column"
      mb={2}
      role="region"
      aria-label="Data source problems"
    >
      {degraded.map(s => (
        <Box key={s.name} mb={1}>
          <WarningPanel
            severity={s.state === 'error' ? 'error' : 'warning'}
            title={`${sourceTitle(s)} is ${
              s.state === 'error' ? 'failing' : 'stale'
            } since ${formatSince(s.since)}`}
            message={s.message ?? 'The backend did not say why.'}
            // Expanded so the "why" is visible without a click, unless many sources fail
            // at once, where the titles alone already tell the story.
            defaultExpanded={degraded.length <= 2}
          >
            <Typography variant="body2">{KIND_IMPACT[s.kind]}</Typography>
            <Typography variant="body2">
              Last successful read:{' '}
              {s.lastSuccess ? formatSince(s.lastSuccess) : 'never'}.
              {s.skipped
                ? ` ${s.skipped} malformed object(s) were skipped.`
                : ''}
            </Typography>
          </WarningPanel>
        </Box>
      ))}
    </Box>
  );
}
