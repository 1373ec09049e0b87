/*
 * How the Multicloud GitOps backends talk to a hub's Kubernetes API through
 * @kubernetes/client-node: the client configuration built from validated hub settings, and
 * the one-line explanation of a failed read. The backend plugin (reading ACM) and the catalog
 * module (reading ManagedClusters) share them so a hub is reached, and its failures worded,
 * the same way by both.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { HubApiSettings } from './hubConfig';

/**
 * A certificate authority as a kubeconfig wants it: base64. Config may hold the PEM itself
 * or its base64; the PEM is encoded, anything else is passed on as given.
 *
 * @public
 */
export function caDataBase64(caData: string | undefined): string | undefined {
  return caData?.includes('-----BEGIN')
    ? Buffer.from(caData).toString('base64')
    : caData;
}

/**
 * A client configuration for one hub's Kubernetes API, built from its settings and never from
 * a kubeconfig file or the environment, so each hub uses exactly the credential configured
 * for it.
 *
 * @param hub - the hub's name and API settings, as {@link readHubSettings} returns them
 * @public
 */
export function hubKubeConfig(hub: {
  name: string;
  api: HubApiSettings;
}): KubeConfig {
  const { name, api } = hub;
  const user = `${name}-reader`;
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name,
        server: api.url,
        skipTLSVerify: Boolean(api.skipTLSVerify),
        caData: caDataBase64(api.caData),
      },
    ],
    users: [{ name: user, token: api.token }],
    contexts: [{ name, cluster: name, user }],
    currentContext: name,
  });
  return kc;
}

/**
 * The HTTP status of a failed `@kubernetes/client-node` call, wherever the client put it;
 * undefined when the hub never answered (a network error).
 *
 * @public
 */
export function kubernetesErrorStatus(err: unknown): number | undefined {
  const e = err as any;
  const status = e?.code ?? e?.statusCode ?? e?.response?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** The message of the Kubernetes Status the hub answered with, if any. */
function upstreamMessage(err: unknown): string | undefined {
  let body = (err as any)?.body;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  const message = body?.message;
  return typeof message === 'string' && message
    ? message.slice(0, 200)
    : undefined;
}

/** Why the hub could not be reached: the system error code, else the first line of the message. */
function unreachableReason(err: unknown): string {
  const e = err as any;
  const code = e?.code ?? e?.cause?.code;
  if (code && typeof code === 'string') return code;
  // client-node's own messages can carry the request's headers, and so the token.
  return String(e?.message ?? e)
    .split('\n')[0]
    .replace(/Bearer\s+\S+/gi, 'Bearer <redacted>')
    .slice(0, 200);
}

/**
 * What a failed read of a hub's Kubernetes API was about, for
 * {@link describeKubernetesError}.
 *
 * @public
 */
export interface KubernetesErrorContext {
  /** The hub API's URL. */
  url: string;
  /** The resource that was being read, by its plural, e.g. `managedclusters`. */
  resource: string;
  /**
   * Which credential the reader used, named so a person can find it (a config key, say),
   * never its value.
   */
  credential: string;
}

/**
 * One line saying why a read of a hub's Kubernetes API failed and what to do about it. It
 * names the hub's URL, the resource and the credential, but never the token: the client's own
 * messages are not passed on whole, since they can include request headers.
 *
 * @remarks
 * An unreachable hub is described without the resource, so the reads of several resources
 * that fail for that one reason say the same thing.
 *
 * @public
 */
export function describeKubernetesError(
  err: unknown,
  context: KubernetesErrorContext,
): string {
  const { url, resource, credential } = context;
  const status = kubernetesErrorStatus(err);
  const message = upstreamMessage(err);
  const upstream = message ? `: ${message}` : '';
  if (status === 401)
    return `hub API at ${url} rejected the ${credential} (401 Unauthorized) while listing ${resource}: renew or replace that token`;
  if (status === 403)
    return `the ${credential} may not list ${resource} on ${url} (403 Forbidden)${upstream}: grant list/watch on it to that service account`;
  if (status === 404)
    return `${resource} is not served by ${url} (404): is ACM installed on this hub?`;
  if (status !== undefined)
    return `hub API at ${url} answered ${status} while listing ${resource}${upstream}`;
  return `cannot reach the hub API at ${url} (${unreachableReason(err)})`;
}
