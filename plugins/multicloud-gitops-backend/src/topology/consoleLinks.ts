/*
 * Where a person goes next from a cluster's details: its OpenShift console, its page in the
 * hub's ACM console, and the Argo CD instance that serves it.
 */
import {
  acmClusterConsoleUrl,
  ClusterDetails,
  ClusterSummary,
  HubInfo,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import { ArgoInstanceSettings } from '@multicloud-gitops-backstage/plugin-multicloud-gitops-node';

export function consoleLinks(
  hub: HubInfo,
  cluster: ClusterSummary,
  argocd: ArgoInstanceSettings[],
): ClusterDetails['links'] {
  const links: ClusterDetails['links'] = [];
  if (cluster.consoleUrl)
    links.push({
      title: 'OpenShift console',
      url: cluster.consoleUrl,
      kind: 'openshift-console',
    });
  if (hub.consoleUrl)
    links.push({
      title: 'ACM console',
      url: acmClusterConsoleUrl(hub.consoleUrl, cluster.name),
      kind: 'acm-console',
    });
  const argo = cluster.argocdInstance
    ? argocd.find(a => a.name === cluster.argocdInstance)
    : undefined;
  if (argo)
    links.push({
      title: `Argo CD (${argo.name})`,
      url: argo.uiUrl,
      kind: 'argocd',
    });
  return links;
}
