/*
 * Reads multicloudGitops.hubs[] into typed, validated settings. Every problem is reported
 * as one line naming the config key, at startup, before any upstream is contacted. The
 * backend plugin (reading) and the scaffolder module (importing clusters) both read hubs
 * through here, so a hub is declared, validated and explained the same way for both.
 */
import { Config } from '@backstage/config';
import { z } from 'zod';
import {
  DNS1123_LABEL,
  DNS1123_MAX,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';

/** @public */
export interface TlsSettings {
  caData?: string;
  skipTLSVerify?: boolean;
}

/** How to reach a hub's Kubernetes API. @public */
export interface HubApiSettings extends TlsSettings {
  url: string;
  token: string;
}

/** @public */
export interface SearchSettings extends TlsSettings {
  url: string;
  token: string;
  pollIntervalMs: number;
}

/** @public */
export interface ArgoInstanceSettings extends TlsSettings {
  name: string;
  url: string;
  uiUrl: string;
  token?: string;
  username?: string;
  password?: string;
  /** Managed clusters this instance serves; undefined = the hub cluster. */
  clusters?: string[];
}

/**
 * ACM's cluster-proxy on a hub: its user route reaches each managed cluster's Kubernetes
 * API at `<url>/<cluster>/...` with the hub's token, impersonated on the managed cluster.
 * @public
 */
export interface ClusterProxySettings extends TlsSettings {
  url: string;
}

/** One validated entry of `multicloudGitops.hubs`. @public */
export interface HubSettings {
  name: string;
  title: string;
  api: HubApiSettings;
  pattern?: string;
  consoleUrl?: string;
  acmConsoleUrl?: string;
  search?: SearchSettings;
  clusterProxy?: ClusterProxySettings;
  argocd: ArgoInstanceSettings[];
}

const ROOT = 'multicloudGitops.hubs';
const id = z
  .string()
  .regex(
    DNS1123_LABEL,
    'must be a DNS-1123 label (lower-case letters, digits and -)',
  )
  .max(DNS1123_MAX);
const httpUrl = z
  .string()
  .refine(v => /^https?:\/\/[^\s/]+/.test(v), 'must be an http(s) URL')
  .transform(v => v.replace(/\/+$/, ''));
const tls = {
  caData: z.string().optional(),
  skipTLSVerify: z.boolean().optional(),
};

const hubSchema = z
  .object({
    name: id,
    title: z.string().optional(),
    kubernetesCluster: z.string().optional(),
    url: httpUrl.optional(),
    serviceAccountToken: z.string().min(1).optional(),
    pattern: id.optional(),
    consoleUrl: httpUrl.optional(),
    acmConsoleUrl: httpUrl.optional(),
    search: z
      .object({
        url: httpUrl,
        token: z.string().min(1).optional(),
        pollIntervalSeconds: z.number().min(1).max(3600).optional(),
        ...tls,
      })
      .strict()
      .optional(),
    clusterProxy: z
      .object({ url: httpUrl, ...tls })
      .strict()
      .optional(),
    argocd: z
      .array(
        z
          .object({
            name: id,
            url: httpUrl,
            uiUrl: httpUrl.optional(),
            token: z.string().min(1).optional(),
            username: z.string().min(1).optional(),
            password: z.string().min(1).optional(),
            clusters: z.array(z.string().min(1)).optional(),
            ...tls,
          })
          .strict()
          .refine(a => a.token || (a.username && a.password), {
            message: 'needs either token, or username and password',
          }),
      )
      .optional(),
    ...tls,
  })
  .strict();

/** A config error in one line: the full key, then what is wrong. @public */
export class HubConfigError extends Error {
  constructor(key: string, problem: string) {
    super(`Invalid config at ${key}: ${problem}`);
    this.name = 'HubConfigError';
  }
}

function formatPath(index: number, path: PropertyKey[]): string {
  let key = `${ROOT}[${index}]`;
  for (const p of path)
    key += typeof p === 'number' ? `[${p}]` : `.${String(p)}`;
  return key;
}

/** The hub API of a cluster declared for the Kubernetes plugin, found by name. */
function kubernetesClusterApi(
  root: Config,
  name: string,
  key: string,
): HubApiSettings {
  const methods =
    root.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? [];
  for (const method of methods) {
    if (method.getOptionalString('type') !== 'config') continue;
    for (const cluster of method.getOptionalConfigArray('clusters') ?? []) {
      if (cluster.getOptionalString('name') !== name) continue;
      const authProvider =
        cluster.getOptionalString('authProvider') ?? 'serviceAccount';
      if (authProvider !== 'serviceAccount') {
        throw new HubConfigError(
          key,
          `Kubernetes cluster "${name}" uses authProvider ${authProvider}; only serviceAccount clusters can serve as a hub (or give url and serviceAccountToken here)`,
        );
      }
      const token = cluster.getOptionalString('serviceAccountToken');
      if (!token) {
        throw new HubConfigError(
          key,
          `Kubernetes cluster "${name}" has no serviceAccountToken; add one there or give url and serviceAccountToken here`,
        );
      }
      return {
        url: cluster.getString('url').replace(/\/+$/, ''),
        token,
        caData: cluster.getOptionalString('caData'),
        skipTLSVerify: cluster.getOptionalBoolean('skipTLSVerify'),
      };
    }
  }
  throw new HubConfigError(
    key,
    `no cluster named "${name}" in kubernetes.clusterLocatorMethods (type config); declare it there or give url and serviceAccountToken here`,
  );
}

/**
 * Reads and validates every hub. Throws {@link HubConfigError} on the first problem.
 * @public
 */
export function readHubSettings(root: Config): HubSettings[] {
  const raw = root.getOptional<unknown>(ROOT);
  if (raw === undefined) return [];
  if (!Array.isArray(raw))
    throw new HubConfigError(ROOT, 'must be a list of hubs');
  const seen = new Set<string>();
  return raw.map((item, index) => {
    const parsed = hubSchema.safeParse(item);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const problem =
        issue.code === 'unrecognized_keys'
          ? `unknown key(s) ${issue.keys.join(', ')}`
          : issue.message;
      throw new HubConfigError(formatPath(index, issue.path), problem);
    }
    const hub = parsed.data;
    const key = `${ROOT}[${index}]`;
    if (seen.has(hub.name)) {
      throw new HubConfigError(
        `${key}.name`,
        `hub "${hub.name}" is declared twice`,
      );
    }
    seen.add(hub.name);

    let api: HubApiSettings;
    if (hub.kubernetesCluster) {
      if (hub.url) {
        throw new HubConfigError(
          key,
          'give either kubernetesCluster or url, not both',
        );
      }
      api = kubernetesClusterApi(
        root,
        hub.kubernetesCluster,
        `${key}.kubernetesCluster`,
      );
    } else {
      if (!hub.url) {
        throw new HubConfigError(
          key,
          'needs url and serviceAccountToken, or kubernetesCluster',
        );
      }
      if (!hub.serviceAccountToken) {
        throw new HubConfigError(
          `${key}.serviceAccountToken`,
          'is required with url',
        );
      }
      api = {
        url: hub.url,
        token: hub.serviceAccountToken,
        caData: hub.caData,
        skipTLSVerify: hub.skipTLSVerify,
      };
    }
    const instances = new Set<string>();
    const argocd = (hub.argocd ?? []).map((a, i) => {
      if (instances.has(a.name)) {
        throw new HubConfigError(
          `${key}.argocd[${i}].name`,
          `instance "${a.name}" is declared twice`,
        );
      }
      instances.add(a.name);
      return { ...a, uiUrl: a.uiUrl ?? a.url };
    });
    return {
      name: hub.name,
      title: hub.title ?? hub.name,
      api,
      pattern: hub.pattern,
      consoleUrl: hub.consoleUrl,
      acmConsoleUrl: hub.acmConsoleUrl,
      search: hub.search && {
        url: hub.search.url,
        token: hub.search.token ?? api.token,
        caData: hub.search.caData ?? api.caData,
        skipTLSVerify: hub.search.skipTLSVerify ?? api.skipTLSVerify,
        pollIntervalMs: (hub.search.pollIntervalSeconds ?? 15) * 1000,
      },
      clusterProxy: hub.clusterProxy && {
        url: hub.clusterProxy.url,
        caData: hub.clusterProxy.caData ?? api.caData,
        skipTLSVerify: hub.clusterProxy.skipTLSVerify ?? api.skipTLSVerify,
      },
      argocd,
    };
  });
}
