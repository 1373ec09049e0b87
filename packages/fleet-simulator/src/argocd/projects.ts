import type { IncomingMessage, ServerResponse } from 'http';
import { SimContext } from '../context';
import { sendJson } from '../http/util';
import { typeKey, TYPE } from '../k8s/registry';
import { KObject } from '../store/types';
import { compareStrings } from '../util/compare';
import { appsOf, DEFAULT_APP_NS, specSources, strip } from './apps';
import {
  ArgoError,
  GRPC,
  readArgoBody,
  sendArgoError,
  sendArgoFailure,
  sendDenied,
} from './errors';

/**
 * Argo CD's ProjectService over the AppProjects stored on the instance's cluster (Argo CD
 * keeps them in its own namespace): list, get, detailed, update and delete, with the
 * checks server/project/project.go makes.
 */

export const APPPROJECT = typeKey(TYPE.appProject);

const clone = <T>(o: T): T => JSON.parse(JSON.stringify(o));

export function getProject(
  ctx: SimContext,
  instance: string,
  name: string,
): KObject | undefined {
  return ctx.store.get(instance, APPPROJECT, DEFAULT_APP_NS, name);
}

function mustGetProject(
  ctx: SimContext,
  instance: string,
  name: string,
): KObject {
  const p = getProject(ctx, instance, name);
  if (!p)
    throw new ArgoError(
      GRPC.NotFound,
      `appprojects.argoproj.io "${name}" not found`,
    );
  return p;
}

export function listProjects(ctx: SimContext, instance: string) {
  const items = ctx.store
    .list(instance, APPPROJECT, DEFAULT_APP_NS)
    .sort((a, b) => compareStrings(a.metadata.name!, b.metadata.name!))
    .map(strip);
  return {
    metadata: { resourceVersion: String(ctx.store.resourceVersion) },
    items,
  };
}

export function projectJson(ctx: SimContext, instance: string, name: string) {
  return strip(mustGetProject(ctx, instance, name));
}

/**
 * GET /api/v1/projects/{name}/detailed: the project with its project-scoped repositories and
 * clusters; the simulator has none of those, and Argo CD leaves empty lists out.
 */
export function detailedProject(
  ctx: SimContext,
  instance: string,
  name: string,
) {
  return { project: projectJson(ctx, instance, name) };
}

/** A shell-style pattern of AppProject fields ('*' and '?'), matched whole. */
export function globMatch(pattern: string, value: string): boolean {
  if (pattern === '*') return true;
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  return re.test(value);
}

const negated = (p: string) => p.startsWith('!');

/** AppProject.IsSourcePermitted: a source repo matches sourceRepos and no `!` entry. */
export function sourcePermitted(project: KObject, repoURL: string): boolean {
  const repos: string[] = project.spec?.sourceRepos ?? [];
  const allowed = repos.some(r => !negated(r) && globMatch(r, repoURL));
  const denied = repos.some(r => negated(r) && globMatch(r.slice(1), repoURL));
  return allowed && !denied;
}

/** AppProject.IsDestinationPermitted: server (or name) and namespace both match an entry. */
export function destinationPermitted(
  project: KObject,
  destination: { server?: string; name?: string; namespace?: string },
): boolean {
  const dests: any[] = project.spec?.destinations ?? [];
  const ns = destination?.namespace ?? '';
  return dests.some(d => {
    const target =
      destination?.server !== undefined && destination.server !== ''
        ? d.server !== undefined && globMatch(d.server, destination.server)
        : d.name !== undefined && globMatch(d.name, destination?.name ?? '');
    return target && globMatch(d.namespace ?? '', ns);
  });
}

/** The InvalidSpecError conditions an app spec gets against its project. */
export function specConditions(
  project: KObject,
  spec: any,
  projectName: string,
): string[] {
  const out: string[] = [];
  for (const s of specSources(spec)) {
    if (!sourcePermitted(project, s?.repoURL ?? ''))
      out.push(
        `application repo ${s?.repoURL} is not permitted in project '${projectName}'`,
      );
  }
  const d = spec?.destination ?? {};
  if (!destinationPermitted(project, d))
    out.push(
      d.server
        ? `application destination server '${d.server}' and namespace '${
            d.namespace ?? ''
          }' do not match any of the allowed destinations in project '${projectName}'`
        : `application destination {${d.name ?? ''} ${
            d.namespace ?? ''
          }} is not permitted in project '${projectName}'`,
    );
  return out;
}

function appsInProject(ctx: SimContext, instance: string, name: string) {
  return appsOf(ctx, instance).filter(
    a => (a.spec?.project || 'default') === name,
  );
}

/**
 * PUT /api/v1/projects/{name}, body {project}: replace the project unless an app it
 * admits today would stop being admitted, or the client's copy is stale.
 */
export function updateProject(
  ctx: SimContext,
  instance: string,
  name: string,
  body: any,
): KObject {
  const incoming = body?.project;
  if (!incoming || typeof incoming !== 'object' || Array.isArray(incoming))
    throw new ArgoError(
      GRPC.InvalidArgument,
      'error validating project: project is missing from the request body',
    );
  const old = mustGetProject(ctx, instance, name);
  const rv = incoming.metadata?.resourceVersion;
  if (rv && rv !== old.metadata.resourceVersion)
    throw new ArgoError(
      GRPC.Aborted,
      `Operation cannot be fulfilled on appprojects.argoproj.io "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    );
  const next = clone(old);
  next.spec = clone(incoming.spec ?? {});
  const meta = incoming.metadata ?? {};
  for (const k of ['labels', 'annotations', 'finalizers'] as const) {
    if (meta[k] === undefined) delete next.metadata[k];
    else next.metadata[k] = clone(meta[k]);
  }
  let badSrc = 0;
  let badDst = 0;
  for (const a of appsInProject(ctx, instance, name)) {
    const srcs = specSources(a.spec);
    const wasSrc = srcs.every(s => sourcePermitted(old, s?.repoURL ?? ''));
    if (wasSrc && !srcs.every(s => sourcePermitted(next, s?.repoURL ?? '')))
      badSrc++;
    const dst = a.spec?.destination ?? {};
    if (destinationPermitted(old, dst) && !destinationPermitted(next, dst))
      badDst++;
  }
  const parts: string[] = [];
  if (badSrc) parts.push(`${badSrc} applications source became invalid`);
  if (badDst) parts.push(`${badDst} applications destination became invalid`);
  if (parts.length)
    throw new ArgoError(
      GRPC.InvalidArgument,
      `as a result of project update ${parts.join(' and ')}`,
    );
  next.metadata.generation = (old.metadata.generation ?? 1) + 1;
  return ctx.store.put(instance, APPPROJECT, next);
}

/** DELETE /api/v1/projects/{name}: not `default`, not while applications use it. */
export function deleteProject(
  ctx: SimContext,
  instance: string,
  name: string,
): void {
  if (name === 'default')
    throw new ArgoError(
      GRPC.InvalidArgument,
      `name '${name}' is reserved and cannot be deleted`,
    );
  mustGetProject(ctx, instance, name);
  const using = appsInProject(ctx, instance, name).length;
  if (using > 0)
    throw new ArgoError(
      GRPC.InvalidArgument,
      `project is referenced by ${using} applications`,
    );
  ctx.store.remove(instance, APPPROJECT, DEFAULT_APP_NS, name);
}

/** /api/v1/projects[/{name}[/detailed]]; `route` is what follows `projects`. */
export async function handleProjects(
  ctx: SimContext,
  req: IncomingMessage,
  res: ServerResponse,
  instance: string,
  route: string[],
  auth: { rights: string; user: string },
) {
  const method = req.method ?? 'GET';
  const [name, sub] = route;
  try {
    if (route.length === 0 && method === 'GET')
      return sendJson(res, 200, listProjects(ctx, instance));
    if (route.length === 0 && method === 'POST')
      return sendArgoError(
        res,
        GRPC.Unimplemented,
        'creating projects is not supported by the fleet simulator',
        501,
      );
    if (route.length === 1 && method === 'GET')
      return sendJson(res, 200, projectJson(ctx, instance, name));
    if (route.length === 2 && sub === 'detailed' && method === 'GET')
      return sendJson(res, 200, detailedProject(ctx, instance, name));
    if (route.length === 1 && method === 'PUT') {
      const body = await readArgoBody(req, res);
      if (!body.ok) return undefined;
      if (auth.rights !== 'full')
        return sendDenied(res, auth.user, 'projects', 'update', name);
      return sendJson(
        res,
        200,
        strip(updateProject(ctx, instance, name, body.value)),
      );
    }
    if (route.length === 1 && method === 'DELETE') {
      // `default` is refused for what it is before any permission check
      if (name !== 'default' && auth.rights !== 'full')
        return sendDenied(res, auth.user, 'projects', 'delete', name);
      deleteProject(ctx, instance, name);
      return sendJson(res, 200, {});
    }
  } catch (e) {
    return sendArgoFailure(res, e);
  }
  return sendArgoError(res, GRPC.NotFound, 'Not Found');
}
