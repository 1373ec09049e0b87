/*
 * Copyright 2026 The Multicloud GitOps Backstage Authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

import { RootConfigService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';

/**
 * How to reach one ACM hub's Kubernetes API.
 *
 * @public
 */
export interface HubConnection {
  url: string;
  token: string;
  caData?: string;
  skipTLSVerify?: boolean;
}

/**
 * Resolves a hub name (from an action input) to its connection. Kept as an
 * interface so the backend plugin can later hand its own hub registry to the
 * scaffolder module instead of this config-based one.
 *
 * @public
 */
export interface HubConnectionResolver {
  resolve(hubName?: string): Promise<HubConnection>;
}

interface HubEntry extends Omit<HubConnection, 'token' | 'url'> {
  name: string;
  kubernetesCluster?: string;
  url?: string;
  token?: string;
}

/**
 * Reads `multicloudGitops.hubs[]` (`name`, `url`, `serviceAccountToken`,
 * `caData`, `skipTLSVerify`, or `kubernetesCluster` naming a cluster of the
 * Kubernetes plugin's config locator) from root config. This is the only place the
 * module reads hub config, so the backend plugin's reader can replace it.
 *
 * @public
 */
export class ConfigHubConnectionResolver implements HubConnectionResolver {
  private constructor(private readonly hubs: HubEntry[]) {}

  static fromConfig(config: RootConfigService): ConfigHubConnectionResolver {
    // Clusters declared for the Kubernetes plugin (type: config), which a hub
    // may refer to with `kubernetesCluster` so the hub API is declared once.
    const k8sClusters = new Map<string, Omit<HubEntry, 'name'>>();
    for (const method of config.getOptionalConfigArray(
      'kubernetes.clusterLocatorMethods',
    ) ?? []) {
      if (method.getOptionalString('type') !== 'config') {
        continue;
      }
      for (const c of method.getOptionalConfigArray('clusters') ?? []) {
        k8sClusters.set(c.getString('name'), {
          url: c.getOptionalString('url'),
          token: c.getOptionalString('serviceAccountToken'),
          caData: c.getOptionalString('caData'),
          skipTLSVerify: c.getOptionalBoolean('skipTLSVerify'),
        });
      }
    }
    const hubs = (
      config.getOptionalConfigArray('multicloudGitops.hubs') ?? []
    ).map(c => {
      const ref = c.getOptionalString('kubernetesCluster');
      const base = ref ? k8sClusters.get(ref) : undefined;
      return {
        name: c.getString('name'),
        kubernetesCluster: ref,
        url: (c.getOptionalString('url') ?? base?.url)?.replace(/\/+$/, ''),
        // Optional here so a hub configured only for reading does not stop
        // the backend; resolve() explains what is missing.
        token: c.getOptionalString('serviceAccountToken') ?? base?.token,
        caData: c.getOptionalString('caData') ?? base?.caData,
        skipTLSVerify:
          c.getOptionalBoolean('skipTLSVerify') ?? base?.skipTLSVerify,
      };
    });
    return new ConfigHubConnectionResolver(hubs);
  }

  async resolve(hubName?: string): Promise<HubConnection> {
    if (this.hubs.length === 0) {
      throw new InputError(
        'no ACM hub is configured; add multicloudGitops.hubs[] (name, url, serviceAccountToken) to app-config',
      );
    }
    let hub: HubEntry | undefined;
    if (hubName) {
      hub = this.hubs.find(h => h.name === hubName);
      if (!hub) {
        throw new InputError(
          `unknown hub "${hubName}"; configured hubs: ${this.hubs
            .map(h => h.name)
            .join(', ')}`,
        );
      }
    } else if (this.hubs.length === 1) {
      hub = this.hubs[0];
    } else {
      throw new InputError(
        `several hubs are configured (${this.hubs
          .map(h => h.name)
          .join(', ')}); set the hub input`,
      );
    }
    const { url, token, caData, skipTLSVerify } = hub;
    if (!url) {
      throw new InputError(
        hub.kubernetesCluster
          ? `hub "${hub.name}" refers to kubernetesCluster "${hub.kubernetesCluster}", which is not a cluster of a kubernetes.clusterLocatorMethods entry of type config; declare it there or set url and serviceAccountToken on the hub`
          : `hub "${hub.name}" has no url in multicloudGitops.hubs; set url and serviceAccountToken (or kubernetesCluster)`,
      );
    }
    if (!token) {
      throw new InputError(
        `hub "${hub.name}" has no serviceAccountToken in multicloudGitops.hubs; the scaffolder needs a token allowed to create ManagedClusters, KlusterletAddonConfigs, namespaces and secrets`,
      );
    }
    return { url, token, caData, skipTLSVerify };
  }

  /** Hub names, first is the default; used to fill portal links. */
  names(): string[] {
    return this.hubs.map(h => h.name);
  }
}
