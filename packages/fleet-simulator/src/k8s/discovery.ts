import { RESOURCE_TYPES, ResourceType, groupVersions } from './registry';

/**
 * Discovery documents, so clients that discover (kubectl, client libraries, the
 * Backstage Kubernetes plugin's custom-resource lookup) work against the simulator.
 */

function verbs(rt: ResourceType): string[] {
  switch (rt.access) {
    case 'crud':
      return [
        'delete',
        'deletecollection',
        'get',
        'list',
        'patch',
        'create',
        'update',
        'watch',
      ];
    case 'create-get':
      return ['create', 'get', 'list'];
    default:
      return ['get', 'list', 'watch'];
  }
}

/** The served types and their verbs: the hub's by default, a subset for the cluster proxy. */
export interface DiscoveryScope {
  types: ResourceType[];
  verbs: (rt: ResourceType) => string[];
}

const HUB_SCOPE: DiscoveryScope = { types: RESOURCE_TYPES, verbs };

function resourceEntries(
  group: string,
  version: string,
  scope: DiscoveryScope,
) {
  const out: any[] = [];
  for (const rt of scope.types) {
    if (rt.group !== group || !rt.versions.includes(version)) continue;
    out.push({
      name: rt.plural,
      singularName: rt.singular,
      namespaced: rt.namespaced,
      kind: rt.kind,
      verbs: scope.verbs(rt),
      ...(rt.shortNames ? { shortNames: rt.shortNames } : {}),
      storageVersionHash: Buffer.from(`${group}/${version}/${rt.plural}`)
        .toString('base64')
        .slice(0, 12),
    });
    if (rt.statusSubresource) {
      out.push({
        name: `${rt.plural}/status`,
        singularName: '',
        namespaced: rt.namespaced,
        kind: rt.kind,
        verbs: ['get', 'patch', 'update'],
      });
    }
  }
  return out;
}

export function apiVersions(serverAddress: string) {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

export function resourceList(
  group: string,
  version: string,
  scope: DiscoveryScope = HUB_SCOPE,
) {
  const resources = resourceEntries(group, version, scope);
  if (resources.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources,
  };
}

function groupEntry(name: string, versions: string[]) {
  return {
    name,
    versions: versions.map(v => ({ groupVersion: `${name}/${v}`, version: v })),
    preferredVersion: {
      groupVersion: `${name}/${versions[0]}`,
      version: versions[0],
    },
  };
}

export function apiGroupList(scope: DiscoveryScope = HUB_SCOPE) {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...groupVersions(scope.types).entries()].map(([g, vs]) =>
      groupEntry(g, sortVersions(vs)),
    ),
  };
}

export function apiGroup(name: string, scope: DiscoveryScope = HUB_SCOPE) {
  const vs = groupVersions(scope.types).get(name);
  if (!vs) return undefined;
  return {
    kind: 'APIGroup',
    apiVersion: 'v1',
    ...groupEntry(name, sortVersions(vs)),
  };
}

/** Kubernetes version priority: GA > beta > alpha, higher numbers first. */
function sortVersions(vs: string[]): string[] {
  const rank = (v: string) => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [0, 0, 0];
    const stage =
      ({ alpha: 1, beta: 2 } as Record<string, number>)[m[2] ?? ''] ?? 3;
    return [stage, Number(m[1]), Number(m[3] ?? 0)];
  };
  return [...vs].sort((a, b) => {
    const ra = rank(a);
    const rb = rank(b);
    return rb[0] - ra[0] || rb[1] - ra[1] || rb[2] - ra[2];
  });
}

export function versionInfo() {
  return {
    major: '1',
    minor: '31',
    gitVersion: 'v1.31.6',
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: 'go1.22.12',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}
