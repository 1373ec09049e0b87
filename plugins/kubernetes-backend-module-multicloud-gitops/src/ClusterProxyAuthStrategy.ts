/*
 * Managed clusters come from the catalog, and anyone who can register a catalog entity can
 * write its kubernetes.io/api-server annotation. The hub token may therefore only go to a
 * URL under a cluster-proxy route that the portal admin configured for that same hub; any
 * other URL is refused before a credential exists.
 */
import type {
  AuthenticationStrategy,
  AuthMetadata,
  ClusterDetails,
  KubernetesCredential,
} from '@backstage/plugin-kubernetes-node';
import type { HubSettings } from '@multicloud-gitops-backstage/plugin-multicloud-gitops-node';

/** What the strategy needs of a configured hub. */
export type ClusterProxyHub = Pick<
  HubSettings,
  'name' | 'api' | 'clusterProxy'
>;

interface ProxyRoute {
  hub: string;
  origin: string;
  /** Path of the route without a trailing slash; '' for a route at the root. */
  path: string;
  caData?: string;
  skipTLSVerify: boolean;
  token: string;
}

function trimSlashes(path: string): string {
  return path.replace(/\/+$/, '');
}

/** Origin and path of a URL, never its credentials, query or fragment: safe in a message. */
function describe(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return JSON.stringify(url.slice(0, 200));
  }
}

/** A CA as PEM text without whitespace, whether given as PEM or as its base64. */
function pemOf(ca: string | undefined): string {
  const text = (ca ?? '').includes('-----BEGIN')
    ? ca ?? ''
    : Buffer.from(ca ?? '', 'base64').toString('utf8');
  return text.replace(/\s+/g, '');
}

function sameCa(a: string | undefined, b: string | undefined): boolean {
  return pemOf(a) === pemOf(b);
}

/**
 * Gives a cluster whose URL is under a hub's `clusterProxy.url` that hub's token, and
 * no token to any other cluster.
 */
export class ClusterProxyAuthStrategy implements AuthenticationStrategy {
  readonly #routes: ProxyRoute[];

  readonly #onRefused: (message: string) => void;

  constructor(
    hubs: ClusterProxyHub[],
    options: { onRefused?: (message: string) => void } = {},
  ) {
    this.#onRefused = options.onRefused ?? (() => {});
    this.#routes = hubs
      .flatMap(hub => {
        if (!hub.clusterProxy) return [];
        const url = new URL(hub.clusterProxy.url);
        return [
          {
            hub: hub.name,
            origin: url.origin,
            path: trimSlashes(url.pathname),
            caData: hub.clusterProxy.caData,
            skipTLSVerify: hub.clusterProxy.skipTLSVerify ?? false,
            token: hub.api.token,
          },
        ];
      })
      // Longest path first, so a route nested under another hub's route wins.
      .sort((a, b) => b.path.length - a.path.length);
  }

  /** Names of the hubs whose cluster-proxy this strategy serves. */
  get hubs(): string[] {
    return this.#routes.map(r => r.hub);
  }

  /**
   * A refused cluster gets no token but an anonymous credential: the Kubernetes plugin
   * fetches every cluster of an entity together and one thrown error would fail them all,
   * so one bad or hostile entity would empty every Kubernetes tab. Anonymous, its own
   * cluster answers 401 and shows as that cluster's error, and `onRefused` says why.
   */
  async getCredential(
    clusterDetails: ClusterDetails,
  ): Promise<KubernetesCredential> {
    try {
      return {
        type: 'bearer token',
        token: this.#routeFor(clusterDetails).token,
      };
    } catch (e) {
      this.#onRefused((e as Error).message);
      return { type: 'anonymous' };
    }
  }

  /** Why a cluster gets no hub token, or undefined when it gets one. */
  refusalFor(clusterDetails: ClusterDetails): string | undefined {
    try {
      this.#routeFor(clusterDetails);
      return undefined;
    } catch (e) {
      return (e as Error).message;
    }
  }

  validateCluster(): Error[] {
    return [];
  }

  presentAuthMetadata(): AuthMetadata {
    return {};
  }

  #routeFor(cluster: ClusterDetails): ProxyRoute {
    const shown = describe(cluster.url);
    let url: URL;
    try {
      url = new URL(cluster.url);
    } catch {
      throw new Error(
        `Kubernetes cluster "${cluster.name}": ${shown} is not a URL; refusing to send a hub token`,
      );
    }
    if (url.username || url.password || url.search || url.hash) {
      throw new Error(
        `Kubernetes cluster "${cluster.name}": ${shown} carries credentials, a query or a fragment; refusing to send a hub token`,
      );
    }
    // WHATWG URL parsing has already resolved dot segments (also percent-encoded ones) and
    // lower-cased the host, exactly as the Kubernetes plugin does before each request.
    const path = trimSlashes(url.pathname);
    const route = this.#routes.find(
      r =>
        r.origin === url.origin &&
        (path === r.path || path.startsWith(`${r.path}/`)),
    );
    if (!route) {
      const configured = this.#routes.length
        ? `configured: ${this.#routes
            .map(r => `${r.origin}${r.path}`)
            .join(', ')}`
        : 'no hub has clusterProxy configured';
      throw new Error(
        `Kubernetes cluster "${cluster.name}": ${shown} is not under any hub's cluster-proxy (${configured}); set multicloudGitops.hubs[].clusterProxy.url to the route of the hub that manages this cluster`,
      );
    }
    if (cluster.skipTLSVerify && !route.skipTLSVerify) {
      throw new Error(
        `Kubernetes cluster "${cluster.name}" turns TLS verification off, but hub "${route.hub}" does not (multicloudGitops.hubs[].clusterProxy.skipTLSVerify); refusing to send its token`,
      );
    }
    if (cluster.caData && !sameCa(cluster.caData, route.caData)) {
      throw new Error(
        `Kubernetes cluster "${cluster.name}" trusts a CA other than the one configured for hub "${route.hub}" (multicloudGitops.hubs[].clusterProxy.caData); refusing to send its token`,
      );
    }
    return route;
  }
}
