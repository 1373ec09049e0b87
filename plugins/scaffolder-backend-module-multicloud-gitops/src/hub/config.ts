import { RootConfigService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  HubSettings,
  readHubSettings,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-node';

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
  /** The hub's OpenShift console (`consoleUrl` of the hub entry), for links. */
  consoleUrl?: string;
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

/**
 * The hubs of `multicloudGitops.hubs` (`name`, `url` + `serviceAccountToken` + `caData` /
 * `skipTLSVerify`, or `kubernetesCluster` naming a cluster of the Kubernetes plugin's
 * config locator), read and validated by `@multicloud-gitops-backstage/plugin-multicloud-gitops-node` exactly
 * as the backend plugin reads them: a bad entry stops the backend at startup with one line
 * naming the key, instead of failing a scaffolder task later.
 *
 * @public
 */
export class ConfigHubConnectionResolver implements HubConnectionResolver {
  private constructor(private readonly hubs: HubSettings[]) {}

  static fromConfig(config: RootConfigService): ConfigHubConnectionResolver {
    return new ConfigHubConnectionResolver(readHubSettings(config));
  }

  async resolve(hubName?: string): Promise<HubConnection> {
    if (this.hubs.length === 0) {
      throw new InputError(
        'no ACM hub is configured; add multicloudGitops.hubs[] (name, url, serviceAccountToken) to app-config',
      );
    }
    let hub: HubSettings | undefined;
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
    const { url, token, caData, skipTLSVerify } = hub.api;
    return { url, token, caData, skipTLSVerify, consoleUrl: hub.consoleUrl };
  }

  /** Hub names, first is the default; used to fill portal links. */
  names(): string[] {
    return this.hubs.map(h => h.name);
  }
}
