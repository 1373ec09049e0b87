import { Entity } from '@backstage/catalog-model';
import {
  EntityMulticloudGitopsCard,
  EntityMulticloudGitopsContent,
  MulticloudGitopsClient,
  MulticloudGitopsPage,
  isMulticloudGitopsAvailable,
  multicloudGitopsApiRef,
  multicloudGitopsPlugin,
} from './index';

const entity = (annotations?: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'x', annotations },
});

describe('legacy plugin', () => {
  it('exports the plugin, its extensions and the API', () => {
    expect(multicloudGitopsPlugin.getId()).toBe('multicloud-gitops');
    expect(multicloudGitopsApiRef.id).toBe('plugin.multicloud-gitops.service');
    expect(MulticloudGitopsClient).toBeDefined();
    for (const c of [
      EntityMulticloudGitopsCard,
      EntityMulticloudGitopsContent,
      MulticloudGitopsPage,
    ]) {
      expect(c).toBeDefined();
    }
    const apis = [...multicloudGitopsPlugin.getApis()];
    expect(apis.map(a => a.api.id)).toEqual([
      'plugin.multicloud-gitops.service',
    ]);
  });

  it('isMulticloudGitopsAvailable looks for any of our annotations', () => {
    expect(isMulticloudGitopsAvailable(entity())).toBe(false);
    expect(
      isMulticloudGitopsAvailable(
        entity({ 'backstage.io/kubernetes-id': 'x' }),
      ),
    ).toBe(false);
    expect(
      isMulticloudGitopsAvailable(
        entity({ 'validatedpatterns.io/pattern': 'mcg' }),
      ),
    ).toBe(true);
    expect(
      isMulticloudGitopsAvailable(entity({ 'argocd/app-name': 'hello-world' })),
    ).toBe(true);
    expect(
      isMulticloudGitopsAvailable(entity({ 'argocd/app-selector': 'app=x' })),
    ).toBe(true);
    expect(
      isMulticloudGitopsAvailable(
        entity({ 'validatedpatterns.io/pattern': '' }),
      ),
    ).toBe(false);
  });
});
