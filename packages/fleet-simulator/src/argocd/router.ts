import type { IncomingMessage, ServerResponse } from 'http';
import { HUB, SimContext } from '../context';
import {
  bearerToken,
  BodyError,
  cookie,
  readBody,
  sendJson,
} from '../http/util';
import { APP, DEFAULT_APP_NS, instanceExists, strip } from './apps';
import {
  GRPC,
  readArgoBody,
  sendArgoError,
  sendArgoFailure,
  sendDenied,
} from './errors';
import { deleteApp, updateApp } from './lifecycle';
import { listApps, streamApps } from './list';
import { getProject, handleProjects } from './projects';
import { ARGOCD_VERSIONS } from './projection';
import { metadataSource, revisionMetadata } from './revisions';
import {
  operationRunning,
  resolveSync,
  startSync,
  terminateOperation,
} from './sync';
import { managedResources, startRollback } from './rollback';
import { resourceTree } from './tree';

/**
 * Argo CD REST API (the grpc-gateway JSON surface) for one instance per cluster, mounted at
 * /argocd/<cluster>. Each instance serves the Applications stored on its cluster.
 */

export async function handleArgo(
  ctx: SimContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  instance: string,
  rest: string,
) {
  const method = req.method ?? 'GET';
  if (!instanceExists(ctx, instance)) {
    ctx.counters.inc('argocd.other', 'unknown-instance');
    return sendArgoError(
      res,
      GRPC.NotFound,
      `no Argo CD instance for cluster "${instance}"`,
    );
  }
  const segs = rest.split('/').filter(Boolean).map(decodeURIComponent);
  // /api/version and /api/v1/settings are public upstream
  if (segs.join('/') === 'api/version') {
    ctx.counters.inc('argocd.other', 'version');
    return sendJson(res, 200, {
      Version: ARGOCD_VERSIONS[ctx.options.argocdVersion].version,
      BuildDate: '2026-08-22T00:00:00Z',
      GitCommit: '37ee0097',
      GoVersion: 'go1.24.6',
      Platform: 'linux/amd64',
    });
  }
  if (segs[0] !== 'api' || segs[1] !== 'v1') {
    ctx.counters.inc('argocd.other', 'not-found');
    return sendArgoError(res, GRPC.NotFound, 'Not Found');
  }
  const route = segs.slice(2);

  if (route[0] === 'session' && route.length === 1) {
    ctx.counters.inc('argocd.session');
    if (method === 'POST') {
      let body: any;
      try {
        body = await readBody(req);
      } catch (e) {
        return sendArgoError(
          res,
          GRPC.InvalidArgument,
          (e as BodyError).message,
        );
      }
      if (
        !body ||
        body.username !== ctx.options.argocdUsername ||
        body.password !== ctx.options.argocdPassword
      ) {
        return sendArgoError(
          res,
          GRPC.Unauthenticated,
          'Invalid username or password',
        );
      }
      const token = ctx.tokens.newSession(instance, body.username);
      return sendJson(
        res,
        200,
        { token },
        {
          'Set-Cookie': `argocd.token=${token}; path=/; SameSite=lax; httpOnly`,
        },
      );
    }
    if (method === 'DELETE') {
      ctx.tokens.endSession(bearerToken(req) ?? cookie(req, 'argocd.token'));
      return sendJson(
        res,
        200,
        {},
        { 'Set-Cookie': 'argocd.token=; path=/; Max-Age=0' },
      );
    }
    return sendArgoError(res, GRPC.NotFound, 'Method Not Allowed', 405);
  }
  if (route[0] === 'settings' && route.length === 1) {
    ctx.counters.inc('argocd.other', 'settings');
    return sendJson(res, 200, {
      url: `https://openshift-gitops-server-openshift-gitops.apps.${
        instance === HUB && ctx.options.hubName ? ctx.options.hubName : instance
      }.fleet.example.com`,
      statusBadgeEnabled: false,
      appLabelKey: 'app.kubernetes.io/instance',
      trackingMethod: 'label',
      controllerNamespace: DEFAULT_APP_NS,
    });
  }

  // everything below needs a session (the Bearer header wins over the cookie)
  const token = bearerToken(req) ?? cookie(req, 'argocd.token');
  const auth = ctx.tokens.checkArgo(token, instance);
  if (route[0] === 'session' && route[1] === 'userinfo') {
    ctx.counters.inc('argocd.session', 'userinfo');
    return sendJson(
      res,
      200,
      auth.ok
        ? {
            loggedIn: true,
            username:
              auth.rights === 'full' && auth.user.startsWith('system:')
                ? 'admin'
                : auth.user,
            iss: 'argocd',
            groups: [],
          }
        : { loggedIn: false },
    );
  }
  if (!auth.ok) {
    ctx.counters.inc('errors.auth');
    return sendArgoError(
      res,
      GRPC.Unauthenticated,
      token
        ? 'invalid session: token signature is invalid'
        : 'no session information',
    );
  }

  if (
    route[0] === 'stream' &&
    route[1] === 'applications' &&
    route.length === 2 &&
    method === 'GET'
  ) {
    ctx.counters.inc('argocd.stream', instance);
    return streamApps(ctx, req, res, url.searchParams, instance);
  }
  const denied = (resource: string, action: string, object: string) =>
    sendDenied(res, auth.user, resource, action, object);
  const body = () => readArgoBody(req, res);

  if (route[0] === 'projects') {
    ctx.counters.inc('argocd.other', 'projects');
    return handleProjects(ctx, req, res, instance, route.slice(1), auth);
  }

  if (route[0] !== 'applications') {
    ctx.counters.inc('argocd.other', route[0] ?? '');
    return sendArgoError(res, GRPC.NotFound, 'Not Found');
  }
  const q = url.searchParams;
  if (route.length === 1) {
    if (method !== 'GET')
      return sendArgoError(
        res,
        GRPC.Unimplemented,
        'creating applications is not supported by the fleet simulator',
        501,
      );
    ctx.counters.inc('argocd.list', instance);
    return listApps(ctx, res, q, instance);
  }
  const name = route[1];
  const sub = route.slice(2).join('/');
  const appNamespace = q.get('appNamespace') || DEFAULT_APP_NS;
  const app = ctx.store.get(instance, APP, appNamespace, name);
  const project = q.get('project') || q.get('projects');
  const missing = () => {
    // without `project`, a missing app looks exactly like a forbidden one (upstream hides existence)
    if (project && !app)
      return sendArgoError(
        res,
        GRPC.NotFound,
        `applications.argoproj.io "${name}" not found`,
      );
    return sendArgoError(res, GRPC.PermissionDenied, 'permission denied');
  };
  const visible = app && (!project || app.spec?.project === project);

  if (sub === '' && method === 'GET') {
    ctx.counters.inc('argocd.get', instance);
    if (!visible) return missing();
    const refresh = q.get('refresh');
    if (refresh === 'normal' || refresh === 'hard') {
      // upstream waits for the controller to reconcile: the answer carries a fresh reconciledAt
      const next = JSON.parse(JSON.stringify(app));
      next.status = {
        ...(next.status ?? {}),
        reconciledAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      };
      return sendJson(res, 200, strip(ctx.store.put(instance, APP, next)));
    }
    return sendJson(res, 200, strip(app!));
  }
  if (sub === 'sync' && method === 'POST') {
    ctx.counters.inc('argocd.sync', instance);
    const b = await body();
    if (!b.ok) return undefined;
    if (!visible) return missing();
    if (auth.rights !== 'full')
      return denied('applications', 'sync', `${app!.spec.project}/${name}`);
    if (operationRunning(app!))
      return sendArgoError(
        res,
        GRPC.FailedPrecondition,
        'another operation is already in progress',
      );
    let resolved;
    try {
      resolved = await resolveSync(ctx, app!, b.value);
    } catch (e) {
      return sendArgoFailure(res, e);
    }
    // the app may have changed while its revisions were resolved
    const current = ctx.store.get(instance, APP, appNamespace, name);
    if (!current) return missing();
    if (operationRunning(current))
      return sendArgoError(
        res,
        GRPC.FailedPrecondition,
        'another operation is already in progress',
      );
    const started = startSync(
      ctx,
      instance,
      current,
      b.value,
      auth.user.startsWith('system:') ? 'admin' : auth.user,
      resolved,
    );
    return sendJson(res, 200, strip(started));
  }
  if (sub === '' && method === 'PUT') {
    ctx.counters.inc('argocd.other', 'update');
    const b = await body();
    if (!b.ok) return undefined;
    if (!visible) return missing();
    if (auth.rights !== 'full')
      return denied('applications', 'update', `${app!.spec.project}/${name}`);
    try {
      return sendJson(
        res,
        200,
        strip(updateApp(ctx, instance, app!, b.value, q)),
      );
    } catch (e) {
      return sendArgoFailure(res, e);
    }
  }
  if (sub === '' && method === 'DELETE') {
    ctx.counters.inc('argocd.other', 'delete');
    if (!visible) return missing();
    if (auth.rights !== 'full')
      return denied('applications', 'delete', `${app!.spec.project}/${name}`);
    try {
      deleteApp(ctx, instance, app!, q);
    } catch (e) {
      return sendArgoFailure(res, e);
    }
    return sendJson(res, 200, {});
  }
  if (
    route[2] === 'revisions' &&
    route[4] === 'metadata' &&
    route.length === 5 &&
    method === 'GET'
  ) {
    ctx.counters.inc('argocd.get', `${instance} revision-metadata`);
    if (!visible) return missing();
    try {
      const source = metadataSource(app!, q);
      const meta = await revisionMetadata(
        ctx,
        instance,
        source?.repoURL ?? '',
        route[3],
      );
      const proj = getProject(ctx, instance, app!.spec?.project || 'default');
      return sendJson(
        res,
        200,
        proj?.spec?.signatureKeys?.length
          ? { signatureInfo: 'Revision is not signed.', ...meta }
          : meta,
      );
    } catch (e) {
      return sendArgoFailure(res, e);
    }
  }
  if (sub === 'resource-tree' && method === 'GET') {
    ctx.counters.inc('argocd.get', `${instance} resource-tree`);
    if (!visible) return missing();
    return sendJson(
      res,
      200,
      resourceTree(app!, child =>
        ctx.store.get(instance, APP, appNamespace, child),
      ),
    );
  }
  if (sub === 'managed-resources' && method === 'GET') {
    ctx.counters.inc('argocd.get', `${instance} managed-resources`);
    if (!visible) return missing();
    return sendJson(res, 200, await managedResources(ctx, app!, q));
  }
  if (sub === 'rollback' && method === 'POST') {
    ctx.counters.inc('argocd.sync', `${instance} rollback`);
    const b = await body();
    if (!b.ok) return undefined;
    if (!visible) return missing();
    if (auth.rights !== 'full')
      return denied('applications', 'sync', `${app!.spec.project}/${name}`);
    try {
      const started = startRollback(
        ctx,
        instance,
        app!,
        b.value,
        auth.user.startsWith('system:') ? 'admin' : auth.user,
      );
      return sendJson(res, 200, strip(started));
    } catch (e) {
      return sendArgoFailure(res, e);
    }
  }
  if (sub === 'events' && method === 'GET') {
    ctx.counters.inc('argocd.get', `${instance} events`);
    if (!visible) return missing();
    return sendJson(res, 200, { metadata: {}, items: [] });
  }
  if (sub === 'operation' && method === 'DELETE') {
    ctx.counters.inc('argocd.sync', `${instance} terminate`);
    if (!visible) return missing();
    if (auth.rights !== 'full')
      return sendArgoError(res, GRPC.PermissionDenied, 'permission denied');
    if (!operationRunning(app!))
      return sendArgoError(
        res,
        GRPC.InvalidArgument,
        'Unable to terminate operation. No operation is in progress',
      );
    terminateOperation(ctx, instance, app!);
    return sendJson(res, 200, {});
  }
  ctx.counters.inc('argocd.other', sub);
  return sendArgoError(res, GRPC.NotFound, 'Not Found');
}
