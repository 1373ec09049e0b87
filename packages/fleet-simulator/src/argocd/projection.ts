import { KObject } from '../store/types';

/**
 * The `fields` projection of Argo CD's list and stream endpoints. Only an allow-list of
 * paths can be projected (v3.5 list: v2.14-v3.4's plus spec.destination, spec.project,
 * spec.source(s), spec.sourceHydrator, spec.syncPolicy, status.sync.revision);
 * status.history and status.reconciledAt cannot be.
 */
export const PROJECTABLE = [
  'metadata.name',
  'metadata.namespace',
  'metadata.annotations',
  'metadata.labels',
  'metadata.creationTimestamp',
  'metadata.deletionTimestamp',
  'spec',
  'spec.destination',
  'spec.project',
  'spec.source',
  'spec.sources',
  'spec.sourceHydrator',
  'spec.syncPolicy',
  'status.sync.status',
  'status.sync.revision',
  'status.health',
  'status.summary',
  'status.operationState.startedAt',
  'status.operationState.finishedAt',
  'status.operationState.phase',
  'status.operationState.operation.sync',
  'status.resources',
  'status.sourceHydrator',
  'operation.sync',
];

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
): Record<string, unknown> {
  const out: Record<string, any> = {};
  for (const field of PROJECTABLE) {
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
