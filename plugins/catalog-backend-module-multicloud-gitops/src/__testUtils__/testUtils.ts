/* Helpers shared by this package's tests. */
import http from 'http';
import path from 'path';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  DefaultNamespaceEntityPolicy,
  Entity,
  EntityPolicies,
  FieldFormatEntityPolicy,
  NoForeignRootFieldsEntityPolicy,
  resourceEntityV1alpha1Validator,
  SchemaValidEntityPolicy,
} from '@backstage/catalog-model';
import {
  EntityProviderConnection,
  EntityProviderMutation,
} from '@backstage/plugin-catalog-node';

export const fixturesDir = (hub: 'hub-a' | 'hub-b') =>
  path.join(__dirname, '..', '__fixtures__', hub);

export interface LogLine {
  level: 'error' | 'warn' | 'info' | 'debug';
  message: string;
}

/** A logger that keeps every line, so tests can assert what was (and was not) logged. */
export function captureLogger(): LoggerService & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const logger: LoggerService & { lines: LogLine[] } = {
    lines,
    error: message => lines.push({ level: 'error', message }),
    warn: message => lines.push({ level: 'warn', message }),
    info: message => lines.push({ level: 'info', message }),
    debug: message => lines.push({ level: 'debug', message }),
    child: () => logger,
  };
  return logger;
}

/** A catalog connection that records each mutation. */
export function recordingConnection(): EntityProviderConnection & {
  mutations: EntityProviderMutation[];
} {
  const mutations: EntityProviderMutation[] = [];
  return {
    mutations,
    applyMutation: async m => {
      mutations.push(m);
    },
    refresh: async () => undefined,
  };
}

const policy = EntityPolicies.allOf([
  new DefaultNamespaceEntityPolicy(),
  new FieldFormatEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new SchemaValidEntityPolicy(),
]);

/** Throws unless the catalog would accept the entity as a Resource. */
export async function expectValidResource(entity: Entity) {
  const checked = await policy.enforce(entity);
  if (!checked) throw new Error('entity rejected by the catalog policies');
  if (!(await resourceEntityV1alpha1Validator.check(checked)))
    throw new Error(`${entity.metadata.name} is not a Resource`);
}

/** A JSON request with node:http (jest blocks the global fetch). */
export function request(
  method: string,
  url: string,
  token: string,
  body?: unknown,
  contentType = 'application/merge-patch+json',
): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      url,
      {
        method,
        agent: false,
        headers: {
          Authorization: `Bearer ${token}`,
          ...(data ? { 'Content-Type': contentType } : {}),
        },
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', c => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: any;
          try {
            json = JSON.parse(text);
          } catch {
            json = text;
          }
          resolve({ status: res.statusCode ?? 0, json });
        });
      },
    );
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}

export const MC_PATH =
  '/apis/cluster.open-cluster-management.io/v1/managedclusters';
