import { KubeConfig } from '@kubernetes/client-node';
import { HubApiSettings } from '../config/config';

/** A KubeConfig for one hub API, built from config (never from a file on disk). */
export function hubKubeConfig(hub: string, api: HubApiSettings): KubeConfig {
  const kc = new KubeConfig();
  const caData = api.caData
    ? api.caData.includes('-----BEGIN')
      ? Buffer.from(api.caData).toString('base64')
      : api.caData
    : undefined;
  kc.loadFromOptions({
    clusters: [{ name: hub, server: api.url, skipTLSVerify: Boolean(api.skipTLSVerify), caData }],
    users: [{ name: `${hub}-reader`, token: api.token }],
    contexts: [{ name: hub, cluster: hub, user: `${hub}-reader` }],
    currentContext: hub,
  });
  return kc;
}
