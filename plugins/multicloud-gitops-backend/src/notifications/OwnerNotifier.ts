/*
 * Owners told: when an entity's application stays Degraded or OutOfSync, or a cluster of a
 * group the entity deploys to stays unavailable, the entity's owners get one notification
 * per incident (one per entity and kind, listing every application or cluster in it), and a
 * resolution notice with the same scope once it has stayed clear.
 *
 * Driven by the fleet store's change events, plus a timer for the next threshold to pass;
 * it never asks an upstream. What a stale or failing source reports is no evidence either
 * way: it neither starts nor ends an incident, so a flapping hub makes no storm.
 */
import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { NotificationSeverity } from '@backstage/plugin-notifications-common';
import { NotificationService } from '@backstage/plugin-notifications-node';
import {
  ClusterStatus,
  MULTICLOUD_GITOPS_ANNOTATIONS,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import { entityFleetScope, EntityFleetScope } from '../topology/entityScope';
import { narrow } from '../topology/scope';
import { TopologyService } from '../topology/TopologyService';
import { NotificationSettings } from './settings';

/** The notifications' topic, for filters and processors (e-mail, Slack, ...). */
export const NOTIFICATION_TOPIC = 'multicloud-gitops';

/** How soon an empty list of entities is read again. */
const EMPTY_REFRESH_MS = 30_000;

/** Lines one notification lists; the rest are counted. */
const LISTED = 10;

const DOWN: ReadonlySet<ClusterStatus> = new Set(['unavailable', 'unknown']);

type IncidentKind = 'applications' | 'clusters';
type ProblemKind = 'degraded' | 'outofsync' | 'cluster';

export interface OwnerNotifierOptions {
  service: TopologyService;
  catalog: CatalogService;
  auth: AuthService;
  notifications: NotificationService;
  logger: LoggerService;
  settings: NotificationSettings;
}

interface Watched {
  entity: Entity;
  ref: string;
  owner: string;
  fleet: EntityFleetScope;
}

interface Incident {
  /** When it was first seen clear (nothing due, nothing unsettled), while it stays so. */
  clearSince?: number;
  /** What it is about, by problem key: the line each gets in the notification. */
  members: Map<string, string>;
  severity: NotificationSeverity;
  /** The open notice went out, so a resolution notice is owed. */
  notified: boolean;
}

/** What one pass saw of the fleet, across hubs. */
interface Observation {
  /** Problem keys seen now, reported by a source that is ok. */
  seen: Set<string>;
  /** Problem keys whose source is not ok now: neither seen nor cleared. */
  frozen: Set<string>;
}

const appBase = (
  hub: string,
  a: { cluster: string; namespace: string; name: string },
) => `${hub}/${a.cluster}/${a.namespace}/${a.name}`;
const key = (kind: ProblemKind, base: string) => `${kind}:${base}`;

export class OwnerNotifier {
  readonly #o: OwnerNotifierOptions;
  /** Problem key → when it was first seen (by an ok source), while it lasts. */
  readonly #since = new Map<string, number>();
  /** `entityRef|kind` → open incident. */
  readonly #incidents = new Map<string, Incident>();
  /** Cluster groups each entity has been seen deploying to (kept when its apps vanish). */
  readonly #groups = new Map<string, Set<string>>();
  #watched?: { at: number; list: Watched[] };
  #timer?: ReturnType<typeof setTimeout>;
  #off?: () => void;
  #running?: Promise<void>;
  #again = false;

  constructor(options: OwnerNotifierOptions) {
    this.#o = options;
  }

  start() {
    this.#off = this.#o.service.onChange(() => {
      this.evaluate();
    });
    this.evaluate();
  }

  stop() {
    this.#off?.();
    this.#off = undefined;
    clearTimeout(this.#timer);
  }

  /** One pass over the store; passes asked for while one runs are folded into one more. */
  evaluate(): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = (async () => {
      do {
        this.#again = false;
        try {
          await this.#pass();
        } catch (e) {
          this.#o.logger.warn(
            `Owner notifications: a pass failed: ${(e as Error).message}`,
          );
        }
      } while (this.#again);
    })().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #entities(now: number): Promise<Watched[]> {
    const { catalog, auth, service, logger, settings } = this.#o;
    // An empty list is read again sooner: at startup the catalog may not have its entities yet.
    const every = this.#watched?.list.length
      ? settings.entityRefreshMs
      : Math.min(settings.entityRefreshMs, EMPTY_REFRESH_MS);
    if (this.#watched && now - this.#watched.at < every)
      return this.#watched.list;
    try {
      const { items } = await catalog.getEntities(
        {
          filter: { kind: ['Component', 'System'] },
          fields: ['kind', 'metadata', 'spec.owner'],
        },
        { credentials: await auth.getOwnServiceCredentials() },
      );
      const list: Watched[] = [];
      for (const entity of items) {
        const a = entity.metadata.annotations ?? {};
        const owner = entity.spec?.owner;
        if (typeof owner !== 'string' || !owner) continue;
        if (!MULTICLOUD_GITOPS_ANNOTATIONS.some(k => a[k] !== undefined))
          continue;
        const ref = stringifyEntityRef(entity);
        try {
          list.push({
            entity,
            ref,
            owner: stringifyEntityRef(
              parseEntityRef(owner, {
                defaultKind: 'group',
                defaultNamespace: entity.metadata.namespace ?? 'default',
              }),
            ),
            fleet: entityFleetScope(entity, service),
          });
        } catch (e) {
          // Its Fleet tab says what to fix; nothing to watch until then.
          logger.debug(
            `Owner notifications skip ${ref}: ${(e as Error).message}`,
          );
        }
      }
      this.#watched = { at: now, list };
    } catch (e) {
      logger.warn(
        `Owner notifications: cannot list catalog entities, keeping the last list: ${
          (e as Error).message
        }`,
      );
      this.#watched = { at: now, list: this.#watched?.list ?? [] };
    }
    return this.#watched.list;
  }

  /** The fleet's problems now, and which cannot be judged because their source is not ok. */
  #observe(): Observation {
    const { service } = this.#o;
    const seen = new Set<string>();
    const frozen = new Set<string>();
    for (const hub of service.hubIds()) {
      const t = service.full(hub);
      const state = new Map(t.sources.map(s => [s.name, s.state]));
      const allOk = t.sources.every(s => s.state === 'ok');
      const ok = (name: string) =>
        (state.get(name) ?? (allOk ? 'ok' : 'stale')) === 'ok';
      for (const a of t.applications) {
        const base = appBase(hub, a);
        const source =
          a.instance && state.has(`argocd/${a.instance}`)
            ? `argocd/${a.instance}`
            : 'search';
        if (!ok(source)) {
          frozen.add(key('degraded', base));
          frozen.add(key('outofsync', base));
          continue;
        }
        if (a.health === 'Degraded') seen.add(key('degraded', base));
        if (a.sync === 'OutOfSync') seen.add(key('outofsync', base));
      }
      const acmOk = ok('acm');
      for (const c of t.clusters) {
        const k = key('cluster', `${hub}/${c.name}`);
        if (!acmOk) frozen.add(k);
        else if (DOWN.has(c.status)) seen.add(k);
      }
    }
    return { seen, frozen };
  }

  #threshold(k: string): number {
    const s = this.#o.settings;
    if (k.startsWith('degraded:')) return s.degradedAfterMs;
    if (k.startsWith('outofsync:')) return s.outOfSyncAfterMs;
    return s.clusterUnavailableAfterMs;
  }

  async #pass() {
    const now = Date.now();
    const watched = await this.#entities(now);
    const { seen, frozen } = this.#observe();
    for (const k of [...this.#since.keys()])
      if (!seen.has(k) && !frozen.has(k)) this.#since.delete(k);
    for (const k of seen) if (!this.#since.has(k)) this.#since.set(k, now);
    const due = (k: string) =>
      seen.has(k) && now - this.#since.get(k)! >= this.#threshold(k);

    const live = new Set<string>();
    for (const w of watched) {
      const found = this.#members(w, seen, frozen, due);
      for (const kind of ['applications', 'clusters'] as const) {
        const id = `${w.ref}|${kind}`;
        live.add(id);
        await this.#step(id, w, kind, found[kind], now);
      }
    }
    // An entity gone from the catalog (or from our annotations) has no owners to tell.
    for (const id of [...this.#incidents.keys()])
      if (!live.has(id)) this.#incidents.delete(id);
    this.#schedule(now, seen);
  }

  /** An entity's due problems (with their lines) and whether any is still unsettled. */
  #members(
    w: Watched,
    seen: Set<string>,
    frozen: Set<string>,
    due: (k: string) => boolean,
  ) {
    const { service } = this.#o;
    const found = {
      applications: {
        due: new Map<string, string>(),
        holding: new Set<string>(),
        degraded: false,
      },
      clusters: {
        due: new Map<string, string>(),
        holding: new Set<string>(),
        degraded: true,
      },
    };
    const groups = this.#groups.get(w.ref) ?? new Set<string>();
    this.#groups.set(w.ref, groups);
    for (const hub of w.fleet.hubs) {
      const t = service.full(hub);
      const { clusters, apps } = narrow(t, w.fleet.scope);
      if (w.fleet.scope.group) groups.add(`${hub}/${w.fleet.scope.group}`);
      for (const c of clusters) groups.add(`${hub}/${c.group}`);
      const f = found.applications;
      for (const a of apps) {
        const base = appBase(hub, a);
        const dk = key('degraded', base);
        const ok = key('outofsync', base);
        const states = [
          due(dk) ? 'Degraded' : undefined,
          due(ok) ? 'OutOfSync' : undefined,
        ].filter(Boolean);
        if (states.length) {
          f.due.set(
            base,
            `${a.name} on ${a.cluster} (hub ${hub}): ${states.join(', ')}`,
          );
          if (due(dk)) f.degraded = true;
        } else if (seen.has(dk) || seen.has(ok) || frozen.has(dk)) {
          f.holding.add(base);
        }
      }
      const g = found.clusters;
      for (const c of t.clusters) {
        if (!groups.has(`${hub}/${c.group}`)) continue;
        const k = key('cluster', `${hub}/${c.name}`);
        if (due(k))
          g.due.set(
            k,
            `${c.name} (group ${c.group}, hub ${hub}): ${c.status}${
              c.statusReason ? `, ${c.statusReason}` : ''
            }`,
          );
        else if (seen.has(k) || frozen.has(k)) g.holding.add(k);
      }
    }
    return found;
  }

  async #step(
    id: string,
    w: Watched,
    kind: IncidentKind,
    found: {
      due: Map<string, string>;
      holding: Set<string>;
      degraded: boolean;
    },
    now: number,
  ) {
    const open = this.#incidents.get(id);
    if (found.due.size) {
      if (open) {
        open.clearSince = undefined;
        for (const [k, line] of found.due) open.members.set(k, line);
        if (!open.notified)
          open.notified = await this.#send(w, kind, open, 'open');
        return;
      }
      const incident: Incident = {
        members: new Map(found.due),
        severity: found.degraded ? 'high' : 'normal',
        notified: false,
      };
      this.#incidents.set(id, incident);
      incident.notified = await this.#send(w, kind, incident, 'open');
      return;
    }
    if (!open) return;
    // Still failing (again, or not judged: its source is not ok) holds the incident open.
    if ([...open.members.keys()].some(k => found.holding.has(k))) {
      open.clearSince = undefined;
      return;
    }
    open.clearSince ??= now;
    if (now - open.clearSince < this.#o.settings.resolvedAfterMs) return;
    this.#incidents.delete(id);
    if (open.notified) await this.#send(w, kind, open, 'resolved');
  }

  /** Wakes for the next problem to reach its threshold or incident to settle. */
  #schedule(now: number, seen: Set<string>) {
    clearTimeout(this.#timer);
    let next = Infinity;
    for (const k of seen) {
      const at = this.#since.get(k)! + this.#threshold(k);
      if (at > now) next = Math.min(next, at);
    }
    for (const i of this.#incidents.values()) {
      if (i.clearSince === undefined) continue;
      const at = i.clearSince + this.#o.settings.resolvedAfterMs;
      if (at > now) next = Math.min(next, at);
    }
    if (next === Infinity || !this.#off) return;
    this.#timer = setTimeout(() => this.evaluate(), next - now);
    this.#timer.unref?.();
  }

  async #send(
    w: Watched,
    kind: IncidentKind,
    incident: Incident,
    phase: 'open' | 'resolved',
  ): Promise<boolean> {
    const { entity, ref, owner } = w;
    const name = entity.metadata.title ?? entity.metadata.name;
    const lines = [...incident.members.values()];
    const listed = lines
      .slice(0, LISTED)
      .map(l => `- ${l}`)
      .concat(
        lines.length > LISTED ? [`- and ${lines.length - LISTED} more`] : [],
      )
      .join('\n');
    // Thresholds under a minute (a demo, a test) read as seconds, not "0 min".
    const span = (ms: number) =>
      ms < 60_000
        ? `${Math.round(ms / 1000)} s`
        : `${Math.round(ms / 60_000)} min`;
    const s = this.#o.settings;
    let title: string;
    let description: string;
    if (phase === 'open') {
      title =
        kind === 'applications'
          ? `${name}: ${lines.length} application${
              lines.length === 1 ? '' : 's'
            } Degraded or OutOfSync`
          : `${name}: ${lines.length} cluster${
              lines.length === 1 ? '' : 's'
            } it deploys to unavailable`;
      description =
        kind === 'applications'
          ? `Degraded for over ${span(
              s.degradedAfterMs,
            )} or OutOfSync for over ${span(s.outOfSyncAfterMs)}:\n${listed}`
          : `Unavailable for over ${span(
              s.clusterUnavailableAfterMs,
            )}:\n${listed}`;
    } else {
      title =
        kind === 'applications'
          ? `Resolved: ${name}: applications Healthy and Synced again`
          : `Resolved: ${name}: clusters available again`;
      description = `Clear for ${span(s.resolvedAfterMs)}. It was:\n${listed}`;
    }
    const { namespace = 'default', name: entityName } = entity.metadata;
    try {
      await this.#o.notifications.send({
        recipients: { type: 'entity', entityRef: owner },
        payload: {
          title,
          description,
          link: `/catalog/${namespace}/${entity.kind.toLowerCase()}/${entityName}/multicloud-gitops`,
          severity: phase === 'open' ? incident.severity : 'low',
          topic: NOTIFICATION_TOPIC,
          // The same scope for the open and the resolution notice: the latter replaces it.
          scope: `multicloud-gitops:${ref}:${kind}`,
          metadata: { entityRef: ref, incident: phase, kind },
        },
      });
      this.#o.logger.info(
        `Owner notification (${phase}) of ${kind} of ${ref} sent to ${owner}`,
      );
      return true;
    } catch (e) {
      this.#o.logger.warn(
        `Owner notification of ${kind} of ${ref} to ${owner} failed: ${
          (e as Error).message
        }`,
      );
      return false;
    }
  }
}
