/**
 * The patterns operator stand-in: a Pattern's git repo rendered as the clustergroup chart
 * renders it and kept in step with Argo CD. Argo CD's revision metadata reaches the fetched
 * commits through the RevisionMetadataSource the operator registers (argocd/revisions.ts).
 */
export { DEFAULT_PATTERN_POLL_MS, PatternsOperator } from './operator';
export { GitSource, GitSourceError } from './gitSource';
export type { Snapshot } from './gitSource';
export { PatternRenderError, renderClusterGroup } from './render';
export type {
  ManagedClusterGroup,
  RenderContext,
  RenderedApp,
  RenderedGroup,
} from './render';
