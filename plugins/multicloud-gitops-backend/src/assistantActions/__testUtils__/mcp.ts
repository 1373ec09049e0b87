/*
 * A started backend's actions registry and MCP server, and calls to it, for the tests of
 * the actions for assistants.
 */
import {
  AuditorService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  actionsRegistryServiceFactory,
  actionsServiceFactory,
} from '@backstage/backend-defaults/alpha';
import mcpActionsPlugin from '@backstage/plugin-mcp-actions-backend';
import request from 'supertest';
import { testServiceFactories, until } from '../../__testUtils__/simulator';

/**
 * Backstage's own actions registry and actions service, its MCP server, anonymous requests
 * without a token, and the given permission policy and auditor with the test catalog.
 */
export const actionsBackendFeatures = (
  permissions: PermissionsService,
  auditor?: AuditorService,
) => [
  mcpActionsPlugin,
  actionsRegistryServiceFactory,
  actionsServiceFactory,
  ...testServiceFactories(permissions, auditor),
];

/** The config that lets the actions service and MCP server offer our plugin's actions. */
export const ACTIONS_CONFIG = {
  backend: { actions: { pluginSources: ['multicloud-gitops'] } },
};

/** One JSON-RPC call to `/api/mcp-actions/v1`; the streamable transport may answer as SSE. */
export async function mcpCall(
  server: any,
  method: string,
  params: object,
  authorization: string,
) {
  const res = await request(server)
    .post('/api/mcp-actions/v1')
    .set('Authorization', authorization)
    .set('Accept', 'application/json, text/event-stream')
    .send({ jsonrpc: '2.0', id: 1, method, params });
  if (res.status !== 200)
    throw new Error(`MCP ${method}: HTTP ${res.status} ${res.text}`);
  const text: string = res.text;
  return JSON.parse(
    text.trimStart().startsWith('{')
      ? text
      : text
          .split('\n')
          .filter(l => l.startsWith('data:'))
          .map(l => l.slice(5))
          .join(''),
  );
}

/** Resolves with the first truthy value of `fn`, checked every 100 ms. */
export const eventually = until;
