/*
 * An application's sync history with the commits' authors and messages, and the diff of
 * its live resources against the desired ones, read on demand from Argo CD (a configured
 * instance's REST API) or from the Application object the hub views on a cluster. Both are
 * a user's click in the drawer, not a page view: answers are kept briefly and each one
 * costs a bounded number of upstream calls (Argo CD keeps at most 10 history entries).
 */
import { dumpYaml } from '@kubernetes/client-node';
import type {
  ApplicationDiff,
  ApplicationHistory,
  CommitInfo,
  HistoryEntry,
  ResourceDiff,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import { isObject } from '../store/plainData';
import { unifiedDiff } from './lineDiff';

/** The REST calls of a configured Argo CD instance (its session handled by the caller). */
export interface ArgoCaller {
  call<T>(
    path: string,
    options?: { method?: string; body?: unknown },
  ): Promise<T>;
}

/** History entries a drawer shows; Argo CD keeps 10 by default (revisionHistoryLimit). */
export const MAX_HISTORY = 20;

const isCommit = (r: string) => /^[0-9a-f]{7,40}$/.test(r);

/** Why Argo CD would refuse a rollback of the application now, or undefined if it would not. */
export function rollbackRefusal(app: any): string | undefined {
  if (app?.spec?.syncPolicy?.automated)
    return 'Argo CD takes no rollback while auto-sync is on: turn auto-sync off in the repository first';
  const phase = app?.status?.operationState?.phase;
  if (app?.operation || phase === 'Running' || phase === 'Terminating')
    return 'Another operation is in progress';
  return undefined;
}

function initiator(h: any): string | undefined {
  const by = h?.initiatedBy;
  if (!isObject(by)) return undefined;
  if (by.automated) return 'automated';
  return typeof by.username === 'string' ? by.username : undefined;
}

/** The history entries of an Application object, newest first. */
export function historyEntries(app: any): Omit<HistoryEntry, 'commit'>[] {
  const list: any[] = Array.isArray(app?.status?.history)
    ? app.status.history
    : [];
  return list
    .filter(h => isObject(h) && Number.isInteger(h.id))
    .slice(-MAX_HISTORY)
    .reverse()
    .map((h, i) => {
      const revision = String(
        h.revision ?? (Array.isArray(h.revisions) ? h.revisions[0] : '') ?? '',
      );
      const by = initiator(h);
      return {
        id: h.id,
        revision,
        ...(typeof h.deployedAt === 'string'
          ? { deployedAt: h.deployedAt }
          : {}),
        ...(by ? { initiatedBy: by } : {}),
        current: i === 0,
      };
    });
}

/** A rejected promise's reason as one line for the UI. */
const reason = (e: unknown) =>
  (e instanceof Error ? e.message : String(e)).split('\n')[0].slice(0, 300);

/**
 * The history of an Application object with each entry's commit; `commit` reads one
 * (a few at a time) and may throw, which leaves that entry without author and message.
 */
export async function withCommits(
  app: any,
  base: Omit<ApplicationHistory, 'entries' | 'rollbackAllowed'>,
  commit?: (revision: string, id: number) => Promise<CommitInfo>,
  noCommitReason = 'No commit details for this revision',
): Promise<ApplicationHistory> {
  const entries: HistoryEntry[] = historyEntries(app);
  const pending = [...entries];
  const worker = async () => {
    for (let e = pending.shift(); e; e = pending.shift()) {
      if (!commit) e.commitError = noCommitReason;
      else if (!isCommit(e.revision))
        e.commitError = `${e.revision} is a chart version, not a commit`;
      else {
        try {
          e.commit = await commit(e.revision, e.id);
        } catch (err) {
          e.commitError = reason(err);
        }
      }
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  const refusal = rollbackRefusal(app);
  return {
    ...base,
    rollbackAllowed: !refusal,
    ...(refusal ? { rollbackReason: refusal } : {}),
    entries,
  };
}

const appPath = (name: string) =>
  `api/v1/applications/${encodeURIComponent(name)}`;
const nsQuery = (appNamespace?: string, sep = '?') =>
  appNamespace ? `${sep}appNamespace=${encodeURIComponent(appNamespace)}` : '';

/** The Application as a configured Argo CD instance has it. */
export function argoApplication(
  argo: ArgoCaller,
  name: string,
  appNamespace?: string,
): Promise<any> {
  return argo.call<any>(`${appPath(name)}${nsQuery(appNamespace)}`);
}

/** A commit's author, date and message through Argo CD's repo server. */
export async function argoCommit(
  argo: ArgoCaller,
  name: string,
  appNamespace: string | undefined,
  revision: string,
  id?: number,
): Promise<CommitInfo> {
  const m = await argo.call<any>(
    `${appPath(name)}/revisions/${encodeURIComponent(revision)}/metadata${
      id === undefined ? '' : `?versionId=${id}`
    }${nsQuery(appNamespace, id === undefined ? '?' : '&')}`,
  );
  return {
    author: String(m?.author ?? ''),
    date: String(m?.date ?? ''),
    message: String(m?.message ?? ''),
  };
}

/** Fields the cluster or the controller writes, which no repository sets. */
function normalized(text: unknown): Record<string, unknown> | undefined {
  if (typeof text !== 'string' || text === '' || text === 'null')
    return undefined;
  let obj: any;
  try {
    obj = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(obj)) return undefined;
  const out: any = JSON.parse(JSON.stringify(obj));
  delete out.status;
  if (isObject(out.metadata)) {
    for (const k of [
      'managedFields',
      'resourceVersion',
      'uid',
      'generation',
      'creationTimestamp',
      'selfLink',
    ])
      delete out.metadata[k];
    if (isObject(out.metadata.annotations)) {
      delete out.metadata.annotations[
        'kubectl.kubernetes.io/last-applied-configuration'
      ];
      if (!Object.keys(out.metadata.annotations).length)
        delete out.metadata.annotations;
    }
  }
  return out;
}

/**
 * YAML with sorted keys. The typed serializer of @kubernetes/client-node would drop fields
 * its models do not know (CRDs, newer fields), so only the type header goes through it.
 */
export function normalizedYaml(obj: Record<string, unknown> | undefined) {
  if (!obj) return '';
  const { apiVersion, kind, ...rest } = obj;
  return (
    dumpYaml({ apiVersion, kind }, { sortKeys: true }) +
    (Object.keys(rest).length ? dumpYaml(rest, { sortKeys: true }) : '')
  );
}

/** Argo CD's managed resources as a unified diff per resource (desired, then live). */
export function resourceDiffs(items: unknown): ResourceDiff[] {
  const list: any[] = Array.isArray(items) ? items : [];
  return list.filter(isObject).map(i => {
    const desired = normalizedYaml(
      normalized(i.predictedLiveState) ?? normalized(i.targetState),
    );
    const live = normalizedYaml(
      normalized(i.normalizedLiveState) ?? normalized(i.liveState),
    );
    const diff = unifiedDiff(desired, live, 'desired', 'live');
    return {
      group: String(i.group ?? ''),
      kind: String(i.kind ?? ''),
      namespace: String(i.namespace ?? ''),
      name: String(i.name ?? ''),
      modified: i.modified === true || diff !== '',
      diff,
    };
  });
}

/** The diff of an application served by a configured Argo CD instance. */
export async function argoDiff(
  argo: ArgoCaller,
  base: Omit<ApplicationDiff, 'resources'>,
  name: string,
  appNamespace?: string,
): Promise<ApplicationDiff> {
  const answer = await argo.call<any>(
    `${appPath(name)}/managed-resources${nsQuery(appNamespace)}`,
  );
  const resources = resourceDiffs(answer?.items).sort(
    (a, b) =>
      Number(b.modified) - Number(a.modified) ||
      `${a.kind}/${a.namespace}/${a.name}`.localeCompare(
        `${b.kind}/${b.namespace}/${b.name}`,
      ),
  );
  return { ...base, resources };
}
