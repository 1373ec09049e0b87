export {
  ClusterStatusLabel,
  SyncStatusLabel,
  HealthStatusLabel,
  SourceStateLabel,
  clusterStatusText,
  syncStatusText,
  healthStatusText,
  StatusText,
} from './StatusLabel';
export {
  CLUSTER_STATUS,
  SYNC_STATUS,
  HEALTH_STATUS,
  SOURCE_STATE,
  GLYPH_16,
  glyphImageRules,
  StatusImageGlyph,
  StatusGlyph,
  StatusIcon,
  styleOf,
  useToneClasses,
} from './statusStyle';
export type { GlyphTable, StatusStyle, Tone, ToneClasses } from './statusStyle';
