import type { IncomingMessage, ServerResponse } from 'http';
import { SimContext } from './context';
import { handleK8s } from './k8s/router';
import { handleSearch } from './search/graphql';
import { handleArgo } from './argocd/router';
import { handleClusterProxy } from './proxy/router';
import { AdminHooks, handleAdmin } from './admin/router';
import { sendOversized, truncateAnswer } from './admin/faults';
import { sendJson, sendText } from './http/util';
import { sendStatus, status } from './k8s/status';
import { grpcCodeForStatus, sendArgoError } from './argocd/errors';

/**
 * One request handler for every API on the port. It picks the route family, applies
 * injected faults, dispatches, and turns any unexpected failure into an upstream-shaped
 * error (never a stack trace in the body).
 */

type Family =
  | 'k8s'
  | 'cluster-proxy'
  | 'search'
  | 'argocd'
  | 'admin'
  | 'health'
  | 'unknown';

function familyOf(pathname: string): {
  family: Family;
  instance?: string;
  rest?: string;
} {
  if (pathname.startsWith('/_simulator')) return { family: 'admin' };
  if (pathname === '/searchapi/graphql' || pathname === '/searchapi/graphql/')
    return { family: 'search' };
  const m = /^\/argocd\/([^/]+)(\/.*)?$/.exec(pathname);
  if (m)
    return { family: 'argocd', instance: safeDecode(m[1]), rest: m[2] ?? '/' };
  const p = /^\/cluster-proxy(?:\/([^/]*)(\/.*)?)?$/.exec(pathname);
  if (p)
    return {
      family: 'cluster-proxy',
      instance: p[1] ? safeDecode(p[1]) : undefined,
      rest: p[2] ?? '/',
    };
  if (
    pathname === '/api' ||
    pathname.startsWith('/api/') ||
    pathname === '/apis' ||
    pathname.startsWith('/apis/') ||
    pathname.startsWith('/version')
  )
    return { family: 'k8s' };
  if (
    pathname === '/healthz' ||
    pathname === '/readyz' ||
    pathname === '/livez' ||
    pathname === '/searchapi/liveness' ||
    pathname === '/searchapi/readiness'
  )
    return { family: 'health' };
  return { family: 'unknown' };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

const MESSAGES: Record<number, string> = {
  429: 'Too many requests, please try again later.',
  500: 'Internal error occurred: injected by the fleet simulator',
  502: 'Bad Gateway',
  503: 'the server is currently unable to handle the request',
  504: 'the server was unable to return a response in the time allotted, but may still be processing the request',
};

function familyError(
  res: ServerResponse,
  family: Family,
  code: number,
  message = MESSAGES[code] ?? `injected HTTP ${code}`,
) {
  if (family === 'search')
    return sendText(res, code, `${JSON.stringify({ message })}\n`);
  if (family === 'argocd')
    return sendArgoError(res, grpcCodeForStatus(code), message, code);
  if (family === 'admin') return sendJson(res, code, { message });
  return sendStatus(res, status(code, message));
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

export function createHandler(ctx: SimContext, hooks: AdminHooks) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    let family: Family = 'unknown';
    try {
      const url = new URL(req.url ?? '/', 'http://simulator.invalid');
      const f = familyOf(url.pathname);
      family = f.family;
      try {
        decodeURIComponent(url.pathname);
      } catch {
        return familyError(
          res,
          family,
          400,
          'the request path is not valid percent-encoding',
        );
      }
      if (
        family === 'k8s' ||
        family === 'cluster-proxy' ||
        family === 'search' ||
        family === 'argocd'
      ) {
        const d = ctx.faults.decide(family, f.instance);
        if (d) {
          if (d.latencyMs) await sleep(d.latencyMs);
          if (d.drop) {
            ctx.counters.inc('errors.injected', `${family} drop`);
            req.socket.destroy();
            return undefined;
          }
          if (d.status) {
            ctx.counters.inc('errors.injected', `${family} ${d.status}`);
            req.resume();
            return familyError(res, family, d.status);
          }
          if (d.oversizeBytes) {
            ctx.counters.inc('errors.injected', `${family} oversize`);
            req.resume();
            return await sendOversized(res, family, d.oversizeBytes);
          }
          if (d.truncate) {
            ctx.counters.inc('errors.injected', `${family} truncate`);
            truncateAnswer(res, d.truncateBytes);
          }
        }
      }
      switch (family) {
        case 'admin':
          return await handleAdmin(ctx, hooks, req, res, url);
        case 'search':
          return await handleSearch(ctx, req, res, url);
        case 'argocd':
          return await handleArgo(ctx, req, res, url, f.instance!, f.rest!);
        case 'k8s':
          return await handleK8s(ctx, req, res, url);
        case 'cluster-proxy':
          return await handleClusterProxy(
            ctx,
            req,
            res,
            url,
            f.instance,
            f.rest!,
          );
        case 'health':
          return sendText(res, 200, 'ok');
        default:
          // kube-apiserver answers unknown paths with a 404 Status
          return sendStatus(
            res,
            status(
              404,
              'the server could not find the requested resource',
              'NotFound',
              {},
            ),
          );
      }
    } catch (e) {
      ctx.log(
        `error serving ${req.method} ${req.url}: ${(e as Error)?.stack ?? e}`,
      );
      if (!res.headersSent)
        return familyError(
          res,
          family,
          500,
          'Internal error occurred: the fleet simulator failed to serve this request',
        );
      res.destroy();
      return undefined;
    }
  };
}
