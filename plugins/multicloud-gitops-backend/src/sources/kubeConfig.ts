import { KubeConfig } from '@kubernetes/client-node';
import { HubApiSettings } from '@multicloud-gitops-backstage/plugin-multicloud-gitops-node';

/** A KubeConfig for one hub API, built from config (never from a file on disk). */
export function hubKubeConfig(hub: string, api: HubApiSettings): KubeConfig {
  const kc = new KubeConfig();
  // A kubeconfig wants base64; config may hold the PEM itself or its base64.
  let caData = api.caData;
  if (caData?.includes('-----BEGIN'))
    caData = Buffer.from(caData).toString('base64');
  kc.loadFromOptions({
    clusters: [
      {
        name: hub,
        server: api.url,
        skipTLSVerify: Boolean(api.skipTLSVerify),
        caData,
      },
    ],
    users: [{ name: `${hub}-reader`, token: api.token }],
    contexts: [{ name: hub, cluster: hub, user: `${hub}-reader` }],
    currentContext: hub,
  });
  return kc;
}
