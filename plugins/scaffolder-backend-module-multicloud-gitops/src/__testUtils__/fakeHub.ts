import http from 'node:http';
import { AddressInfo } from 'node:net';

type Obj = Record<string, any>;

export interface FakeHub {
  url: string;
  token: string;
  /** key: `<plural>/<namespace or ''>/<name>` */
  objects: Map<string, Obj>;
  requests: Array<{ method: string; path: string; body?: string }>;
  put(plural: string, obj: Obj): void;
  get(plural: string, name: string, namespace?: string): Obj | undefined;
  stop(): Promise<void>;
}

function status(
  res: http.ServerResponse,
  code: number,
  reason: string,
  message: string,
) {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason,
      code,
    }),
  );
}

const ROUTES: Array<{ re: RegExp; plural: string; namespaced: boolean }> = [
  {
    re: /^\/apis\/cluster\.open-cluster-management\.io\/v1\/managedclusters(?:\/([^/]+))?$/,
    plural: 'managedclusters',
    namespaced: false,
  },
  {
    re: /^\/apis\/agent\.open-cluster-management\.io\/v1\/namespaces\/([^/]+)\/klusterletaddonconfigs(?:\/([^/]+))?$/,
    plural: 'klusterletaddonconfigs',
    namespaced: true,
  },
  {
    re: /^\/api\/v1\/namespaces\/([^/]+)\/secrets(?:\/([^/]+))?$/,
    plural: 'secrets',
    namespaced: true,
  },
  {
    re: /^\/api\/v1\/namespaces(?:\/([^/]+))?$/,
    plural: 'namespaces',
    namespaced: false,
  },
];

/**
 * A minimal stand-in for the hub's Kubernetes API (get/create of the four
 * kinds an import touches, bearer auth, Status errors, namespaces must exist),
 * for unit tests. Integration tests use the fleet simulator instead.
 */
export async function startFakeHub(): Promise<FakeHub> {
  const token = 'fake-hub-token-0123456789';
  const objects = new Map<string, Obj>();
  const requests: FakeHub['requests'] = [];
  const key = (plural: string, ns: string, name: string) =>
    `${plural}/${ns}/${name}`;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', c => (body += c));
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0];
      requests.push({ method: req.method!, path, body: body || undefined });
      if (req.headers.authorization !== `Bearer ${token}`) {
        status(res, 401, 'Unauthorized', 'Unauthorized');
        return;
      }
      const route = ROUTES.find(r => r.re.test(path));
      if (!route) {
        status(
          res,
          404,
          'NotFound',
          'the server could not find the requested resource',
        );
        return;
      }
      const m = route.re.exec(path)!;
      const ns = route.namespaced ? m[1] : '';
      const name = route.namespaced ? m[2] : m[1];
      if (route.namespaced && !objects.has(key('namespaces', '', ns))) {
        status(res, 404, 'NotFound', `namespaces "${ns}" not found`);
        return;
      }
      if (req.method === 'GET' && name) {
        const obj = objects.get(key(route.plural, ns, name));
        if (!obj) {
          status(res, 404, 'NotFound', `${route.plural} "${name}" not found`);
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(obj));
        return;
      }
      if (req.method === 'POST' && !name) {
        const obj = JSON.parse(body);
        const k = key(route.plural, ns, obj.metadata.name);
        if (objects.has(k)) {
          status(
            res,
            409,
            'AlreadyExists',
            `${route.plural} "${obj.metadata.name}" already exists`,
          );
          return;
        }
        obj.metadata = {
          ...obj.metadata,
          uid: `uid-${objects.size}`,
          resourceVersion: String(objects.size + 1),
        };
        objects.set(k, obj);
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify(obj));
        return;
      }
      status(res, 405, 'MethodNotAllowed', 'method not allowed');
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    objects,
    requests,
    put(plural, obj) {
      objects.set(
        key(plural, obj.metadata.namespace ?? '', obj.metadata.name),
        obj,
      );
    },
    get(plural, name, namespace = '') {
      return objects.get(key(plural, namespace, name));
    },
    stop: () => new Promise<void>(resolve => server.close(() => resolve())),
  };
}
