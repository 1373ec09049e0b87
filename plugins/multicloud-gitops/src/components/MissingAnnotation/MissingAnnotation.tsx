/** @jsxImportSource react */
import { CodeSnippet, EmptyState } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import {
  ARGOCD_APP_NAME_ANNOTATION,
  ARGOCD_APP_SELECTOR_ANNOTATION,
  CLUSTER_GROUP_ANNOTATION,
  HUB_ANNOTATION,
  PATTERN_ANNOTATION,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';

const EXAMPLE = `metadata:
  annotations:
    # the pattern (global.pattern in values-global.yaml); enough for a System
    ${PATTERN_ANNOTATION}: multicloud-gitops
    # only needed when the portal knows more than one hub
    ${HUB_ANNOTATION}: prod-hub
    # optional: narrow to one cluster group
    ${CLUSTER_GROUP_ANNOTATION}: group-one
    # for a Component: the Argo CD application(s) that deploy it
    ${ARGOCD_APP_NAME_ANNOTATION}: hello-world
    # ...or a label selector instead of a name
    # ${ARGOCD_APP_SELECTOR_ANNOTATION}: app.kubernetes.io/part-of=hello-world`;

/**
 * Shown when an entity carries none of our annotations, or the backend rejects them. It
 * says exactly what to add, because "no data" alone sends people to file a ticket.
 */
export function MissingAnnotation(props: { reason?: string }) {
  return (
    <EmptyState
      missing="field"
      title="This entity is not linked to a Multicloud GitOps pattern"
      description={
        props.reason ??
        `Add the ${PATTERN_ANNOTATION} annotation (or ${ARGOCD_APP_NAME_ANNOTATION} / ${ARGOCD_APP_SELECTOR_ANNOTATION} for a single application) to this entity's catalog-info.yaml.`
      }
      // The snippet goes in the action slot: the description is rendered inside a <p>.
      action={
        <Box maxWidth={720}>
          <CodeSnippet language="yaml" text={EXAMPLE} showCopyCodeButton />
        </Box>
      }
    />
  );
}
