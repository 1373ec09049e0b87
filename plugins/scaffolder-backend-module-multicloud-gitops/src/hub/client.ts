import {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
} from '@kubernetes/client-node';
import { HubConnection } from './config';

export interface HubClients {
  core: CoreV1Api;
  custom: CustomObjectsApi;
}

/**
 * Builds typed clients for one hub from an explicit connection, never from
 * ~/.kube/config or in-cluster defaults, so a backend cannot silently act on
 * whatever cluster it happens to run in.
 */
export function createHubClients(conn: HubConnection): HubClients {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name: 'hub',
        server: conn.url,
        caData: conn.caData,
        // client-node only speaks plain http when TLS checks are explicitly off.
        skipTLSVerify: conn.skipTLSVerify ?? conn.url.startsWith('http:'),
      },
    ],
    users: [{ name: 'scaffolder', token: conn.token }],
    contexts: [{ name: 'hub', cluster: 'hub', user: 'scaffolder' }],
    currentContext: 'hub',
  });
  return {
    core: kc.makeApiClient(CoreV1Api),
    custom: kc.makeApiClient(CustomObjectsApi),
  };
}

/** HTTP status of a client-node error, if it is one. */
export function statusOf(e: unknown): number | undefined {
  const code = (e as { code?: unknown })?.code;
  return typeof code === 'number' ? code : undefined;
}

/**
 * A one-line description of a hub API error: status, reason and the server's
 * message. Deliberately does not include the request (which may carry secret
 * data) and passes every known secret value through `redact`.
 */
export function describeHubError(
  e: unknown,
  redact: (s: string) => string = s => s,
): string {
  const code = statusOf(e);
  const body = (e as { body?: unknown })?.body;
  let message: string | undefined;
  let reason: string | undefined;
  if (typeof body === 'string') {
    try {
      const parsed = JSON.parse(body);
      message = parsed?.message;
      reason = parsed?.reason;
    } catch {
      message = body.slice(0, 300);
    }
  } else if (body && typeof body === 'object') {
    message = (body as { message?: string }).message;
    reason = (body as { reason?: string }).reason;
  }
  if (code === undefined) {
    return redact(e instanceof Error ? e.message : String(e));
  }
  return redact(
    `HTTP ${code}${reason ? ` ${reason}` : ''}${message ? `: ${message}` : ''}`,
  );
}

/** What to check for the usual hub API refusals, by status; callers add their own. */
export const HUB_ERROR_HINTS: Readonly<Record<number, string>> = {
  401: 'the hub token in multicloudGitops.hubs is invalid or expired',
};

/**
 * The error of a failed hub call: what was attempted, the redacted status line and, for a
 * status in `hints`, what to check.
 */
export function hubCallError(
  what: string,
  e: unknown,
  redact: (s: string) => string,
  hints: Record<number, string>,
): Error {
  const status = statusOf(e);
  const described = describeHubError(e, redact);
  // An admission webhook's denial is a 403 as well, but its message already says why.
  const hint =
    status === undefined || described.includes('admission webhook')
      ? undefined
      : hints[status];
  return new Error(`${what} failed: ${described}${hint ? ` (${hint})` : ''}`);
}
