import type { IncomingMessage, ServerResponse } from 'http';
import { SimContext } from '../context';
import { bearerToken, readBody, sendJson } from '../http/util';
import { Faults } from './faults';
import {
  MutationError,
  setAppState,
  setClusterAvailable,
  setClusterLabels,
} from '../fleet/mutate';
import { join } from '../fleet/importer';

/** Admin API under /_simulator (full-rights token only). Errors: {message}. */

export interface AdminHooks {
  reset(): Promise<void> | void;
  tick(): string[];
}

const err = (res: ServerResponse, status: number, message: string) =>
  sendJson(res, status, { message });

export async function handleAdmin(
  ctx: SimContext,
  hooks: AdminHooks,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
) {
  ctx.counters.inc('admin');
  const check = ctx.tokens.check(bearerToken(req));
  if (!check.ok)
    return err(res, 401, 'the admin API needs the simulator token');
  if (check.rights !== 'full')
    return err(res, 403, 'the admin API needs the full-rights simulator token');
  const route = url.pathname.replace(/^\/_simulator\/?/, '').replace(/\/$/, '');
  const method = req.method ?? 'GET';
  let body: any;
  if (method === 'POST') {
    try {
      body = (await readBody(req)) ?? {};
    } catch (e) {
      return err(res, 400, (e as Error).message);
    }
    if (typeof body !== 'object' || Array.isArray(body))
      return err(res, 400, 'body must be a JSON object');
  }
  const key = `${method} ${route}`;
  switch (key) {
    case 'GET counters':
      return sendJson(res, 200, ctx.counters.snapshot());
    case 'POST counters/reset':
      ctx.counters.reset();
      return sendJson(res, 200, ctx.counters.snapshot());
    case 'GET faults':
      return sendJson(res, 200, { faults: ctx.faults.list() });
    case 'POST faults': {
      try {
        const f = Faults.parse(body);
        ctx.faults.add(f);
        // An upstream that goes down also breaks the streams already open to it (a dropped
        // TCP connection), so clients notice at once, as they would in real life. One that
        // starts sending oversized answers does too, so a client that follows a stream meets
        // the oversized answer when it lists again.
        if (
          f.dropConnections ||
          f.oversizeBytes ||
          (f.status !== undefined && f.rate >= 1)
        ) {
          const kindsOf: Record<string, string[]> = {
            all: ['k8s-watch', 'argocd-stream'],
            k8s: ['k8s-watch'],
            argocd: ['argocd-stream'],
          };
          const kinds = kindsOf[f.family] ?? [];
          for (const stream of [...ctx.streams])
            if (kinds.includes(stream.kind)) stream.close();
        }
        ctx.log(`fault added: ${JSON.stringify(f)}`);
        return sendJson(res, 200, { faults: ctx.faults.list() });
      } catch (e) {
        return err(res, 400, (e as Error).message);
      }
    }
    case 'DELETE faults':
      ctx.faults.clear();
      return sendJson(res, 200, { faults: [] });
    case 'POST tokens/revoke':
    case 'POST tokens/restore':
      if (typeof body.token !== 'string' || !body.token)
        return err(res, 400, 'token is required');
      if (route.endsWith('revoke')) ctx.tokens.revoke(body.token);
      else ctx.tokens.restore(body.token);
      return sendJson(res, 200, {
        token: body.token,
        revoked: route.endsWith('revoke'),
      });
    case 'POST watch/expire': {
      // compaction: older RVs and continue tokens now give 410, open watches get ERROR 410
      ctx.store.compact();
      const open = [...ctx.streams].filter(s => s.kind === 'k8s-watch');
      open.forEach(s => s.expire());
      return sendJson(res, 200, {
        expiredWatches: open.length,
        resourceVersion: String(ctx.store.resourceVersion),
      });
    }
    case 'POST mutate':
      try {
        if (
          body.op === 'cluster-unavailable' ||
          body.op === 'cluster-available'
        ) {
          if (typeof body.cluster !== 'string')
            return err(res, 400, 'cluster is required');
          setClusterAvailable(
            ctx,
            body.cluster,
            body.op === 'cluster-available',
          );
          return sendJson(res, 200, { ok: true });
        }
        if (body.op === 'cluster-join') {
          // stands in for running the import manifests on the spoke (manual import)
          if (typeof body.cluster !== 'string')
            return err(res, 400, 'cluster is required');
          if (!join(ctx, body.cluster))
            return err(
              res,
              409,
              `managed cluster "${body.cluster}" is not waiting to join (missing, not accepted, or joined already)`,
            );
          return sendJson(res, 200, { ok: true });
        }
        if (body.op === 'cluster-labels') {
          if (typeof body.cluster !== 'string' || !body.cluster)
            return err(res, 400, 'cluster is required');
          const mc = setClusterLabels(ctx, body.cluster, body.labels);
          return sendJson(res, 200, {
            ok: true,
            resourceVersion: mc.metadata.resourceVersion,
            labels: mc.metadata.labels ?? {},
          });
        }
        if (body.op === 'app-state') {
          if (typeof body.cluster !== 'string' || typeof body.app !== 'string')
            return err(res, 400, 'cluster and app are required');
          if (
            body.sync === undefined &&
            body.health === undefined &&
            body.targetRevision === undefined
          )
            return err(res, 400, 'sync, health or targetRevision is required');
          const app = setAppState(
            ctx,
            body.cluster,
            body.app,
            body.sync,
            body.health,
            body.targetRevision,
          );
          return sendJson(res, 200, {
            ok: true,
            resourceVersion: app.metadata.resourceVersion,
          });
        }
        return err(
          res,
          400,
          'op must be cluster-unavailable, cluster-available, cluster-join, cluster-labels or app-state',
        );
      } catch (e) {
        if (e instanceof MutationError) return err(res, e.status, e.message);
        throw e;
      }
    case 'POST tick':
      return sendJson(res, 200, { changes: hooks.tick() });
    case 'POST reset':
      await hooks.reset();
      return sendJson(res, 200, {
        ok: true,
        resourceVersion: String(ctx.store.resourceVersion),
      });
    default:
      return err(res, 404, `no admin route ${method} /_simulator/${route}`);
  }
}
