import { KObject } from '../store/types';

/**
 * The `fields` projection of Argo CD's list and stream endpoints. Only an allow-list of
 * paths can be projected, and the list grew over releases (forwarder_overwrite.go):
 * v2.14-v3.3 the base list, v3.4 adds status.sourceHydrator, v3.5 adds spec.destination,
 * spec.project, spec.source(s), spec.sourceHydrator, spec.syncPolicy, status.sync.revision.
 * status.history and status.reconciledAt can never be projected.
 */
const BASE = [
  'metadata.name',
  'metadata.namespace',
  'metadata.annotations',
  'metadata.labels',
  'metadata.creationTimestamp',
  'metadata.deletionTimestamp',
  'spec',
  'status.sync.status',
  'status.health',
  'status.summary',
  'status.operationState.startedAt',
  'status.operationState.finishedAt',
  'status.operationState.phase',
  'status.operationState.operation.sync',
  'status.resources',
  'operation.sync',
];
const V3_4 = [...BASE, 'status.sourceHydrator'];
const V3_5 = [
  ...V3_4,
  'spec.destination',
  'spec.project',
  'spec.source',
  'spec.sources',
  'spec.sourceHydrator',
  'spec.syncPolicy',
  'status.sync.revision',
];

/** Argo CD releases the simulator can emulate (the allow-list and /api/version follow). */
export const ARGOCD_VERSIONS: Record<
  string,
  { version: string; fields: string[] }
> = {
  'v2.14': { version: 'v2.14.21+4d6c9ec', fields: BASE },
  'v3.0': { version: 'v3.0.19+8c3c5d6', fields: BASE },
  'v3.1': { version: 'v3.1.9+8665140', fields: BASE },
  'v3.2': { version: 'v3.2.3+2b6251d', fields: BASE },
  'v3.3': { version: 'v3.3.2+d4a1c3b', fields: BASE },
  'v3.4': { version: 'v3.4.4+5d0e29c', fields: V3_4 },
  'v3.5': { version: 'v3.5.1+37ee009', fields: V3_5 },
};
export const DEFAULT_ARGOCD_VERSION = 'v3.5';

/** The newest allow-list (kept for callers that do not care about the version). */
export const PROJECTABLE = V3_5;

export interface Projection {
  fields: Set<string>;
  exclude: boolean;
}

export function parseFields(raw: string | null): Projection | undefined {
  if (!raw) return undefined;
  let s = raw;
  let exclude = false;
  if (s.startsWith('-')) {
    exclude = true;
    s = s.slice(1);
  }
  return {
    fields: new Set(
      s
        .split(',')
        .map(x => x.trim())
        .filter(Boolean),
    ),
    exclude,
  };
}

function getPath(o: any, path: string): unknown {
  let cur = o;
  for (const p of path.split('.')) {
    if (cur === null || cur === undefined) return undefined;
    cur = cur[p];
  }
  return cur;
}

/** Build the projected item; `prefix` is "items." for lists, "result.application." for streams. */
export function projectApp(
  app: KObject,
  p: Projection,
  prefix: string,
  allowed: string[] = PROJECTABLE,
): Record<string, unknown> {
  const out: Record<string, any> = {};
  for (const field of allowed) {
    if (p.fields.has(prefix + field) === p.exclude) continue;
    const value = getPath(app, field);
    if (value === undefined || value === null) continue;
    const parts = field.split('.');
    let cur = out;
    for (let i = 0; i < parts.length - 1; i++) {
      cur[parts[i]] = cur[parts[i]] ?? {};
      cur = cur[parts[i]];
    }
    // never write into a stored object (e.g. when both "spec" and "spec.project" are asked for)
    if (cur[parts[parts.length - 1]] === undefined)
      cur[parts[parts.length - 1]] = value;
  }
  return out;
}
