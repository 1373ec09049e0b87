/** @jsxImportSource react */
import { useCallback } from 'react';
import {
  Content,
  EmptyState,
  Header,
  Page,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Paper from '@material-ui/core/Paper';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import Typography from '@material-ui/core/Typography';
import { useSearchParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import {
  HUB_ANNOTATION,
  HubState,
  PATTERN_ANNOTATION,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import { multicloudGitopsApiRef } from '../../api';
import { useLiveTopology } from '../../hooks/useLiveTopology';
import { FleetSkeleton } from '../FleetSkeleton';
import { FleetView } from '../FleetView';
import { sourceTitle } from '../SourceBanners';
import { SourceStateLabel } from '../StatusLabel';
import { TopologyState } from '../TopologyState';
import { FleetTheme } from '../FleetTheme';

/**
 * The catalog System that stands for the pattern on this hub: Sync and Refresh on the fleet
 * page are checked against it (`multicloud-gitops.application.sync` on that entity, e.g. its
 * owners), as on the System's own Fleet tab. With several, the one naming this hub wins.
 */
function usePatternSystemRef(hub: string, pattern: string) {
  const catalogApi = useApi(catalogApiRef);
  const { value } = useAsync(async () => {
    const { items } = await catalogApi.getEntities({
      filter: {
        kind: 'System',
        [`metadata.annotations.${PATTERN_ANNOTATION}`]: pattern,
      },
      fields: [
        'kind',
        'metadata.namespace',
        'metadata.name',
        'metadata.annotations',
      ],
    });
    const onHub = items.filter(
      e => e.metadata.annotations?.[HUB_ANNOTATION] === hub,
    );
    const candidates = onHub.length
      ? onHub
      : items.filter(e => !e.metadata.annotations?.[HUB_ANNOTATION]);
    return candidates.length === 1
      ? stringifyEntityRef(candidates[0])
      : undefined;
  }, [catalogApi, hub, pattern]);
  return value;
}

function HubFleet(props: { hub: HubState; pattern: string }) {
  const api = useApi(multicloudGitopsApiRef);
  const { hub, pattern } = props;
  const entityRef = usePatternSystemRef(hub.id, pattern);
  const load = useCallback(
    (signal: AbortSignal) =>
      api.getTopology({ pattern, hub: hub.id }, { signal }),
    [api, pattern, hub.id],
  );
  const live = useLiveTopology(load, `${hub.id}/${pattern}`);
  return (
    <TopologyState live={live}>
      {topology => (
        <FleetView
          topology={topology}
          streamState={live.streamState}
          refreshError={live.refreshError}
          entityRef={entityRef}
        />
      )}
    </TopologyState>
  );
}

function HubSummary(props: { hub: HubState }) {
  const { hub } = props;
  return (
    <Paper variant="outlined">
      <Box
        p={2}
        display="flex"
        flexWrap="wrap"
        alignItems="baseline"
        style={{ gap: 16 }}
      >
        <Typography variant="subtitle1" component="h2">
          {hub.title}
        </Typography>
        <Typography variant="body2" color="textSecondary">
          {hub.pattern ? `Pattern ${hub.pattern}` : 'No pattern detected yet'} ·{' '}
          {hub.clusterCount} clusters · {hub.applicationCount} applications
        </Typography>
        {hub.sources.map(s => (
          <Typography
            key={s.name}
            variant="body2"
            component="span"
            title={s.message}
          >
            {sourceTitle(s)}: <SourceStateLabel state={s.state} />
          </Typography>
        ))}
      </Box>
    </Paper>
  );
}

/**
 * The fleet across every configured hub: one tab per hub, each showing its pattern's
 * topology and matrix. The selected hub is kept in the URL (`?hub=`).
 * @public
 */
export function MulticloudGitopsPageContent() {
  return (
    <FleetTheme>
      <HubsView />
    </FleetTheme>
  );
}

function HubsView() {
  const api = useApi(multicloudGitopsApiRef);
  const hubs = useAsyncRetry(() => api.getHubs(), [api]);
  const [params, setParams] = useSearchParams();

  if (hubs.error) return <ResponseErrorPanel error={hubs.error} />;
  if (!hubs.value) return <FleetSkeleton />;
  const list = hubs.value.hubs;
  if (list.length === 0) {
    return (
      <EmptyState
        missing="data"
        title="No hub is configured"
        description="Add a hub under multicloudGitops.hubs in app-config.yaml; see the plugin README."
      />
    );
  }
  const selectedId = params.get('hub');
  const selected = list.find(h => h.id === selectedId) ?? list[0];
  const selectHub = (id: string) =>
    // A new hub has other groups and clusters: drop the old hub's filters and drawer.
    setParams(new URLSearchParams({ hub: id }), { replace: true });

  return (
    <Box>
      {list.length > 1 && (
        <Tabs
          value={selected.id}
          onChange={(_, v) => selectHub(v)}
          indicatorColor="primary"
          textColor="primary"
          variant="scrollable"
          aria-label="Hubs"
        >
          {list.map(h => (
            <Tab key={h.id} value={h.id} label={h.title} />
          ))}
        </Tabs>
      )}
      <Box my={2}>
        <HubSummary hub={selected} />
      </Box>
      {selected.pattern ? (
        <HubFleet key={selected.id} hub={selected} pattern={selected.pattern} />
      ) : (
        <EmptyState
          missing="data"
          title={`Hub ${selected.title} has no pattern yet`}
          description="The backend has not found a Pattern resource or pattern-labelled Argo CD applications on this hub. Check the source states above, or set the hub's pattern in the configuration."
        />
      )}
    </Box>
  );
}

/**
 * Standalone fleet page for the legacy frontend system (with its own header).
 * @public
 */
export function MulticloudGitopsPage() {
  return (
    <Page themeId="tool">
      <Header
        title="Fleet"
        subtitle="Multicloud GitOps hubs, cluster groups, clusters and applications"
      />
      <Content>
        <MulticloudGitopsPageContent />
      </Content>
    </Page>
  );
}

/**
 * Body of the fleet page for the new frontend system, whose page layout already renders
 * the header (title "Fleet").
 */
export function MulticloudGitopsPageBody() {
  return (
    <Content>
      <MulticloudGitopsPageContent />
    </Content>
  );
}
