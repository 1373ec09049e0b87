/*
 * Builds the sources of every configured hub (ACM, ACM Search, each Argo CD instance) over
 * the hub's store, starts and stops them together, and finds an Argo CD instance for sync
 * and refresh. Each source is told which configured credential it uses, by its config key
 * and never by its value, so a rejection names the key to renew.
 */
import { LoggerService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  HubSettings,
  hubKubeConfig,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-node';
import { HubActions, hubObjectsApi } from '../actions/HubActions';
import { HubStore } from '../store/HubStore';
import { AcmSource } from './AcmSource';
import { ArgoSource } from './ArgoSource';
import { SearchSource } from './SearchSource';

/** A configured hub and the store its sources write. */
export interface HubSourceOptions {
  settings: HubSettings;
  store: HubStore;
  /** The Kubernetes plugin's cluster whose credentials are the hub API's, if config says so. */
  kubernetesCluster?: string;
}

export interface Sources {
  /** Starts reading every upstream; a second call does nothing. */
  start(): void;
  stop(): Promise<void>;
  argoInstance(hub: string, instance: string): ArgoSource;
  /** Sync and refresh through the hub (ManagedClusterAction), with the hub's credential. */
  hubActions(hub: string): HubActions;
}

interface HubSources {
  acm: AcmSource;
  search?: SearchSource;
  argo: Map<string, ArgoSource>;
  actions: HubActions;
}

/** The hub API's credential: its own token, or the Kubernetes plugin cluster's. */
export function hubCredential(index: number, kubernetesCluster?: string) {
  return kubernetesCluster
    ? `serviceAccountToken of Kubernetes cluster "${kubernetesCluster}" (kubernetes.clusterLocatorMethods)`
    : `token multicloudGitops.hubs[${index}].serviceAccountToken`;
}

/** Search's credential: the hub's unless `search.token` is its own. */
export function searchCredential(
  index: number,
  settings: HubSettings,
  hubCredentialKey: string,
) {
  return settings.search?.token === settings.api.token
    ? `hub ${hubCredentialKey}`
    : `token multicloudGitops.hubs[${index}].search.token`;
}

/** An Argo CD instance's credential: a token, or an account's password. */
export function argoCredential(
  index: number,
  instanceIndex: number,
  settings: HubSettings['argocd'][number],
) {
  return settings.token
    ? `token multicloudGitops.hubs[${index}].argocd[${instanceIndex}].token`
    : `password of account "${settings.username}" (multicloudGitops.hubs[${index}].argocd[${instanceIndex}].password)`;
}

function createHubSources(
  { settings, store, kubernetesCluster }: HubSourceOptions,
  index: number,
  logger: LoggerService,
  maxAnswerBytes?: number,
): HubSources {
  const credential = hubCredential(index, kubernetesCluster);
  const kubeConfig = hubKubeConfig(settings);
  const acm = new AcmSource({
    store,
    kubeConfig,
    logger,
    credential,
    url: settings.api.url,
  });
  const search = settings.search
    ? new SearchSource({
        store,
        settings: settings.search,
        logger,
        credential: searchCredential(index, settings, credential),
        maxAnswerBytes,
      })
    : undefined;
  const argo = new Map(
    settings.argocd.map((a, i) => [
      a.name,
      new ArgoSource({
        store,
        settings: a,
        logger,
        credentialKey: argoCredential(index, i, a),
        maxAnswerBytes,
      }),
    ]),
  );
  const actions = new HubActions({
    api: hubObjectsApi(kubeConfig),
    url: settings.api.url,
    credential,
  });
  return { acm, search, argo, actions };
}

export function createSources(opts: {
  hubs: HubSourceOptions[];
  logger: LoggerService;
  /** Answers from Argo CD and ACM Search longer than this are refused (default MAX_ANSWER_BYTES). */
  maxAnswerBytes?: number;
}): Sources {
  const hubs = new Map(
    opts.hubs.map((h, index) => [
      h.settings.name,
      createHubSources(h, index, opts.logger, opts.maxAnswerBytes),
    ]),
  );
  const hubOf = (hub: string) => {
    const h = hubs.get(hub);
    if (!h) {
      throw new NotFoundError(
        `Unknown hub "${hub}"; configured hubs: ${
          [...hubs.keys()].join(', ') || '(none)'
        }`,
      );
    }
    return h;
  };
  let started = false;
  return {
    start() {
      if (started) return;
      started = true;
      for (const h of hubs.values()) {
        h.acm.start();
        h.search?.start();
        for (const a of h.argo.values()) a.start();
      }
    },
    async stop() {
      for (const h of hubs.values()) {
        await h.acm.stop();
        await h.search?.stop();
        for (const a of h.argo.values()) await a.stop();
      }
    },
    argoInstance(hub, instance) {
      const h = hubOf(hub);
      const a = h.argo.get(instance);
      if (!a) {
        throw new NotFoundError(
          `Hub "${hub}" has no Argo CD instance "${instance}"; configured: ${
            [...h.argo.keys()].join(', ') || '(none)'
          }`,
        );
      }
      return a;
    },
    hubActions(hub) {
      return hubOf(hub).actions;
    },
  };
}
