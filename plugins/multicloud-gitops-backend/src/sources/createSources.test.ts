import { mockServices } from '@backstage/backend-test-utils';
import { hubSettings } from '../__testUtils__/fleet';
import { HubStore } from '../store/HubStore';
import {
  argoCredential,
  createSources,
  hubCredential,
  searchCredential,
} from './createSources';

const settings = hubSettings({
  api: { url: 'https://api.hub:6443', token: 'hub-secret' },
  search: { url: 'https://search', token: 'hub-secret', pollIntervalMs: 15000 },
  argocd: [
    {
      name: 'hub-gitops',
      url: 'https://argo',
      uiUrl: 'https://argo',
      token: 'x',
    },
    {
      name: 'edge-gitops',
      url: 'https://edge',
      uiUrl: 'https://edge',
      username: 'admin',
      password: 'secret',
    },
  ],
});

describe('credentials, named by their config key', () => {
  it("names the hub API's token, or the Kubernetes plugin cluster it comes from", () => {
    expect(hubCredential(2)).toBe(
      'token multicloudGitops.hubs[2].serviceAccountToken',
    );
    expect(hubCredential(0, 'prod-hub')).toBe(
      'serviceAccountToken of Kubernetes cluster "prod-hub" (kubernetes.clusterLocatorMethods)',
    );
  });

  it("names Search's own token, or the hub's when Search uses it", () => {
    const hub = hubCredential(1);
    expect(searchCredential(1, settings, hub)).toBe(
      'hub token multicloudGitops.hubs[1].serviceAccountToken',
    );
    expect(
      searchCredential(
        1,
        { ...settings, search: { ...settings.search!, token: 'own' } },
        hub,
      ),
    ).toBe('token multicloudGitops.hubs[1].search.token');
  });

  it("names an Argo CD instance's token, or its account's password", () => {
    expect(argoCredential(0, 0, settings.argocd[0])).toBe(
      'token multicloudGitops.hubs[0].argocd[0].token',
    );
    expect(argoCredential(0, 1, settings.argocd[1])).toBe(
      'password of account "admin" (multicloudGitops.hubs[0].argocd[1].password)',
    );
  });

  it('never puts a credential value in a name', () => {
    const names = [
      searchCredential(0, settings, hubCredential(0)),
      argoCredential(0, 0, settings.argocd[0]),
      argoCredential(0, 1, settings.argocd[1]),
    ].join(' ');
    expect(names).not.toContain('secret');
  });
});

describe('createSources', () => {
  const store = new HubStore('hub');
  const sources = createSources({
    hubs: [{ settings, store }],
    logger: mockServices.logger.mock(),
  });
  afterAll(() => sources.stop());

  it("gives each source of a hub its place in the hub's store, not read yet", () => {
    expect(store.sources().map(s => [s.name, s.kind, s.state])).toEqual([
      ['acm', 'acm', 'stale'],
      ['search', 'search', 'stale'],
      ['argocd/hub-gitops', 'argocd', 'stale'],
      ['argocd/edge-gitops', 'argocd', 'stale'],
    ]);
  });

  it('finds an Argo CD instance for sync and refresh, and names the configured ones otherwise', () => {
    expect(sources.argoInstance('hub', 'edge-gitops').settings.url).toBe(
      'https://edge',
    );
    expect(() => sources.argoInstance('hub', 'nope')).toThrow(
      'Hub "hub" has no Argo CD instance "nope"; configured: hub-gitops, edge-gitops',
    );
    expect(() => sources.argoInstance('north', 'hub-gitops')).toThrow(
      'Unknown hub "north"; configured hubs: hub',
    );
  });
});
