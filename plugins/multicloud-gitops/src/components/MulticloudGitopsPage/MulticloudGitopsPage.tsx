/** @jsxImportSource react */
import { Content, Header, Page } from '@backstage/core-components';
import { FleetTheme } from '../FleetTheme';
import { PagedFleet } from '../PagedFleet';

/**
 * The fleet across every configured hub: the hubs and their groups, then the clusters and
 * the application matrix page by page (see PagedFleet). Filters, sort, view and the open
 * cluster are kept in the URL (`?hub=` narrows to hubs, `?cluster=` opens a cluster).
 * @public
 */
export function MulticloudGitopsPageContent() {
  return (
    <FleetTheme>
      <PagedFleet />
    </FleetTheme>
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
