/* Helpers shared by the tests (not part of the package API). */
import fs from 'fs';
import http from 'http';
import https from 'https';
import path from 'path';
import Ajv, { ValidateFunction } from 'ajv';
import YAML from 'yaml';

/** shared/ next to the repo root (the tests read the upstream CRDs from there). */
export function sharedDir(): string {
  const candidates = [
    process.env.FLEET_SIMULATOR_SHARED,
    // eslint-disable-next-line no-restricted-syntax
    path.resolve(__dirname, '../../../../shared'),
    // eslint-disable-next-line no-restricted-syntax
    path.resolve(__dirname, '../../../shared'),
    path.resolve(process.cwd(), '../../../shared'),
    path.resolve(process.cwd(), '../shared'),
  ].filter((x): x is string => !!x);
  const found = candidates.find(c =>
    fs.existsSync(path.join(c, 'reference', 'crds')),
  );
  if (!found)
    throw new Error(
      `shared/reference/crds not found (tried ${candidates.join(', ')})`,
    );
  return found;
}

export interface HttpResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: any;
}

/** Plain node:http client (jest blocks global fetch; IP hosts need no DNS lookup). */
export function request(
  method: string,
  url: string,
  opts: {
    token?: string;
    body?: unknown;
    headers?: Record<string, string>;
    ca?: string;
    raw?: string;
  } = {},
): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const body =
      opts.raw ??
      (opts.body === undefined ? undefined : JSON.stringify(opts.body));
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
    if (body !== undefined && !headers['Content-Type'])
      headers['Content-Type'] = 'application/json';
    const mod = u.protocol === 'https:' ? https : http;
    const req = mod.request(
      u,
      { method, headers, agent: false, ...(opts.ca ? { ca: opts.ca } : {}) },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', c => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: any;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json,
          });
        });
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** Open a streaming GET and collect lines/events until `until` says stop (or timeout). */
export function stream(
  url: string,
  token: string | undefined,
  until: (chunks: string) => boolean,
  timeoutMs = 8000,
): Promise<{ status: number; text: string; ended: boolean }> {
  return new Promise((resolve, reject) => {
    let text = '';
    let done = false;
    let timer: NodeJS.Timeout | undefined = undefined;
    const req = http.get(
      url,
      {
        headers: token ? { Authorization: `Bearer ${token}` } : {},
        agent: false,
      },
      res => {
        const finish = (ended: boolean) => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          req.destroy();
          resolve({ status: res.statusCode ?? 0, text, ended });
        };
        res.on('data', c => {
          text += c.toString();
          if (until(text)) finish(false);
        });
        res.on('end', () => finish(true));
        res.on('close', () => finish(true));
      },
    );
    timer = setTimeout(() => {
      if (!done) {
        done = true;
        req.destroy();
        reject(new Error(`stream timed out; got: ${text.slice(0, 500)}`));
      }
    }, timeoutMs);
    req.on('error', e => {
      if (!done) reject(e);
    });
  });
}

function strip(schema: any): any {
  if (Array.isArray(schema)) return schema.map(strip);
  if (!schema || typeof schema !== 'object') return schema;
  const out: any = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k.startsWith('x-kubernetes-')) continue;
    out[k] =
      k === 'properties'
        ? Object.fromEntries(
            Object.entries(v as object).map(([a, b]) => [a, strip(b)]),
          )
        : strip(v);
  }
  if (schema['x-kubernetes-int-or-string'] && !out.anyOf) delete out.type;
  return out;
}

const validators = new Map<string, ValidateFunction>();
let ajv: Ajv | undefined;

/** A validator for apiVersion/kind compiled from the upstream CRD (test-side, independent of src). */
export function crdValidator(
  apiVersion: string,
  kind: string,
): ValidateFunction {
  const key = `${apiVersion}/${kind}`;
  if (validators.has(key)) return validators.get(key)!;
  ajv ??= new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const dir = path.join(sharedDir(), 'reference', 'crds');
  for (const f of fs.readdirSync(dir)) {
    for (const doc of YAML.parseAllDocuments(
      fs.readFileSync(path.join(dir, f), 'utf8'),
    )) {
      const crd = doc.toJSON();
      if (crd?.spec?.names?.kind !== kind) continue;
      const [group, version] = apiVersion.split('/');
      if (crd.spec.group !== group) continue;
      const v = crd.spec.versions.find((x: any) => x.name === version);
      if (!v) continue;
      const fn = ajv.compile(strip(v.schema.openAPIV3Schema));
      validators.set(key, fn);
      return fn;
    }
  }
  throw new Error(`no CRD for ${key}`);
}

export function expectValid(obj: any) {
  const fn = crdValidator(obj.apiVersion, obj.kind);
  const ok = fn(JSON.parse(JSON.stringify(obj)));
  if (!ok)
    throw new Error(
      `${obj.kind} ${obj.metadata?.namespace ?? ''}/${
        obj.metadata?.name
      } is invalid: ${JSON.stringify(fn.errors?.slice(0, 3))}`,
    );
}

export const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

export async function waitFor<T>(
  fn: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 8000,
  stepMs = 50,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(stepMs);
  }
}

/** The name of the first managed cluster the hub accepts that is not the hub itself. */
export async function firstSpoke(sim: {
  url: string;
  token: string;
}): Promise<string> {
  const mcs = await request(
    'GET',
    `${sim.url}/apis/cluster.open-cluster-management.io/v1/managedclusters`,
    { token: sim.token },
  );
  return mcs.json.items.find(
    (m: any) => m.spec.hubAcceptsClient && !m.metadata.labels['local-cluster'],
  ).metadata.name;
}
