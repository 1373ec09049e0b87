/*
 * The Kubernetes frontend plugin prepares each request for the auth provider of every
 * cluster and stops on a name it does not know. Managed clusters from our catalog module use
 * CLUSTER_PROXY_AUTH_PROVIDER, whose token the backend adds (Kubernetes backend module), so
 * the browser has nothing to add: it behaves like the built-in server-side providers.
 */
import {
  KubernetesAuthProvidersApi,
  ServerSideKubernetesAuthProvider,
} from '@backstage/plugin-kubernetes-react';
import { CLUSTER_PROXY_AUTH_PROVIDER } from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';

/**
 * The Kubernetes plugin's auth providers, plus the Multicloud GitOps hub provider of managed
 * clusters reached through their hub's cluster-proxy. Every other provider is asked as before.
 *
 * @public
 */
export function withClusterProxyAuthProvider(
  providers: KubernetesAuthProvidersApi,
): KubernetesAuthProvidersApi {
  const hub = new ServerSideKubernetesAuthProvider();
  return {
    decorateRequestBodyForAuth: (authProvider, requestBody) =>
      authProvider === CLUSTER_PROXY_AUTH_PROVIDER
        ? hub.decorateRequestBodyForAuth(requestBody)
        : providers.decorateRequestBodyForAuth(authProvider, requestBody),
    getCredentials: authProvider =>
      authProvider === CLUSTER_PROXY_AUTH_PROVIDER
        ? hub.getCredentials()
        : providers.getCredentials(authProvider),
  };
}
