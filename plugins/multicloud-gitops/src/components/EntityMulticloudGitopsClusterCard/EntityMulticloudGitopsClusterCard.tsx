/** @jsxImportSource react */
import {
  CodeSnippet,
  EmptyState,
  InfoCard,
  Progress,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  CLUSTER_ANNOTATION,
  CLUSTER_ENTITY_TYPE,
  HUB_ANNOTATION,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import { useLiveClusterDetails } from '../../hooks/useLiveClusterDetails';
import { describeError } from '../../lib/errors';
import { ClusterDetailsSections, ClusterHeadline } from '../ClusterDetailsView';
import { FleetTheme } from '../FleetTheme';
import { SourceBanners } from '../SourceBanners';
import { ErrorWithRetry } from '../TopologyState';

const EXAMPLE = `kind: Resource
metadata:
  annotations:
    # the hub as configured in multicloudGitops.hubs[].name
    ${HUB_ANNOTATION}: prod-hub
    # the ManagedCluster's name on that hub
    ${CLUSTER_ANNOTATION}: east-1
spec:
  type: ${CLUSTER_ENTITY_TYPE}`;

/**
 * The entity does not name a cluster the backend can look up: say which annotation to add
 * or fix, since the catalog module normally writes both and a hand-written entity is the
 * usual cause.
 */
function ClusterAnnotationProblem(props: { reason: string }) {
  return (
    <EmptyState
      missing="field"
      title="This entity does not name a managed cluster"
      description={props.reason}
      // The snippet goes in the action slot: the description is rendered inside a <p>.
      action={
        <Box maxWidth={720}>
          <CodeSnippet language="yaml" text={EXAMPLE} showCopyCodeButton />
        </Box>
      }
    />
  );
}

function missingAnnotationsReason(hub?: string, cluster?: string): string {
  const missing = [
    hub ? undefined : HUB_ANNOTATION,
    cluster ? undefined : CLUSTER_ANNOTATION,
  ].filter(Boolean);
  return `Add the ${missing.join(' and ')} annotation${
    missing.length > 1 ? 's' : ''
  } to this entity's catalog-info.yaml; the Multicloud GitOps catalog module sets both on the clusters it imports.`;
}

const asSentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);

function LiveClusterCard(props: { hub: string; cluster: string }) {
  const { hub, cluster } = props;
  const live = useLiveClusterDetails(hub, cluster);
  const details = live.value;
  const failure = live.error ?? live.refreshError;
  const problem = failure ? describeError(failure) : undefined;

  let body;
  if (problem?.name === 'NotFoundError' || problem?.status === 404) {
    // Also after a refresh: a cluster detached while the page is open is gone, not stale.
    body = (
      <EmptyState
        missing="data"
        title={`Cluster ${cluster} is not on hub ${hub}`}
        description={`${asSentence(
          problem.message,
        )} The hub no longer lists this ManagedCluster (detached, or renamed); the catalog drops its entity at its next refresh. If the hub itself was renamed, fix the ${HUB_ANNOTATION} annotation.`}
      />
    );
  } else if (problem?.name === 'InputError') {
    // The backend rejects names that cannot be a hub or a ManagedCluster, saying which.
    body = <ClusterAnnotationProblem reason={problem.message} />;
  } else if (live.error) {
    body = <ErrorWithRetry error={live.error} retry={live.retry} />;
  } else if (!details) {
    body = <Progress aria-label="Loading cluster details" />;
  } else {
    body = (
      <>
        <SourceBanners sources={details.sources} />
        {live.refreshError && (
          <Typography variant="body2" color="error" role="alert">
            Last refresh failed ({problem?.message}); showing the previous
            answer.
          </Typography>
        )}
        <Box mb={2}>
          <ClusterHeadline summary={details.cluster} links={details.links} />
        </Box>
        <ClusterDetailsSections
          hub={hub}
          cluster={cluster}
          summary={details.cluster}
          details={details}
        />
      </>
    );
  }

  return (
    <InfoCard
      title={`Cluster ${cluster}`}
      subheader={
        details
          ? `Hub ${details.hub.title}${
              details.hub.pattern ? ` · pattern ${details.hub.pattern}` : ''
            }`
          : `Hub ${hub}`
      }
    >
      {body}
    </InfoCard>
  );
}

/**
 * A managed cluster's card for its catalog entity: status and why, group, versions and
 * platform, console links, conditions, nodes, policy compliance and its applications,
 * kept current by the hub's push events.
 * @public
 */
export function EntityMulticloudGitopsClusterCard() {
  const { entity } = useEntity();
  const annotations = entity.metadata.annotations ?? {};
  const hub = annotations[HUB_ANNOTATION]?.trim();
  const cluster = annotations[CLUSTER_ANNOTATION]?.trim();
  return (
    <FleetTheme>
      {hub && cluster ? (
        <LiveClusterCard hub={hub} cluster={cluster} />
      ) : (
        <InfoCard title="Cluster">
          <ClusterAnnotationProblem
            reason={missingAnnotationsReason(hub, cluster)}
          />
        </InfoCard>
      )}
    </FleetTheme>
  );
}
