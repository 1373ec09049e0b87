import { Entity } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { entityFleetScope, entityScope } from './entityScope';
import { HubPatterns } from './resolveHub';

/** Hubs by the pattern each runs (undefined: not known yet). */
const hubs = (patterns: Record<string, string | undefined>): HubPatterns => ({
  hubIds: () => Object.keys(patterns),
  patternOf: hub => patterns[hub],
});
const ONE = hubs({ east: 'multicloud-gitops' });
const TWO = hubs({ east: 'multicloud-gitops', west: 'industrial-edge' });

const entity = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'shop', namespace: 'default', annotations },
});

describe('entityScope', () => {
  it('takes the hub running the pattern, and the scope from the other annotations', () => {
    expect(
      entityScope(
        entity({
          'validatedpatterns.io/pattern': 'industrial-edge',
          'validatedpatterns.io/cluster-group': 'factory',
          'argocd/app-name': 'line-dashboard, machine-sensor',
          'argocd/app-selector': 'team=shop,tier!=db',
          'argocd/project-name': ' shop ',
          'argocd/instance-name': 'hub-gitops, factory-gitops',
        }),
        TWO,
      ),
    ).toEqual({
      hub: 'west',
      scope: {
        entityRef: 'component:default/shop',
        group: 'factory',
        applications: ['line-dashboard', 'machine-sensor'],
        selector: {
          text: 'team=shop,tier!=db',
          requirements: [
            { key: 'team', op: 'in', values: ['shop'] },
            { key: 'tier', op: 'notin', values: ['db'] },
          ],
        },
        project: 'shop',
        instances: ['hub-gitops', 'factory-gitops'],
      },
    });
  });

  it('takes the hub the hub annotation names, whatever it runs', () => {
    const { hub } = entityScope(
      entity({
        'validatedpatterns.io/hub': 'west',
        'validatedpatterns.io/pattern': 'multicloud-gitops',
      }),
      TWO,
    );
    expect(hub).toBe('west');
    expect(() =>
      entityScope(entity({ 'validatedpatterns.io/hub': 'north' }), TWO),
    ).toThrow(
      new InputError(
        'Annotation validatedpatterns.io/hub: no hub "north" is configured; configured hubs: east, west',
      ),
    );
  });

  it('covers every hub that runs the pattern in a fleet-wide view, or the hub it names', () => {
    const three = hubs({ east: 'mcg', west: 'mcg', north: 'other' });
    expect(
      entityFleetScope(entity({ 'validatedpatterns.io/pattern': 'mcg' }), three)
        .hubs,
    ).toEqual(['east', 'west']);
    expect(
      entityFleetScope(
        entity({
          'validatedpatterns.io/pattern': 'mcg',
          'validatedpatterns.io/hub': 'west',
        }),
        three,
      ).hubs,
    ).toEqual(['west']);
  });

  it('asks for the hub annotation when the pattern runs on several hubs, or several hubs could be meant', () => {
    const both = hubs({ east: 'mcg', west: 'mcg' });
    expect(() =>
      entityScope(entity({ 'validatedpatterns.io/pattern': 'mcg' }), both),
    ).toThrow(
      'Pattern mcg runs on several hubs (east, west): add validatedpatterns.io/hub to component:default/shop to choose one',
    );
    expect(() =>
      entityScope(entity({ 'argocd/app-name': 'shop' }), TWO),
    ).toThrow(
      'Several hubs are configured: add validatedpatterns.io/hub to component:default/shop (one of east, west)',
    );
  });

  it('takes the one hub unless it is known to run another pattern', () => {
    expect(entityScope(entity({ 'argocd/app-name': 'shop' }), ONE).hub).toBe(
      'east',
    );
    expect(
      entityScope(
        entity({ 'validatedpatterns.io/pattern': 'other' }),
        hubs({ east: undefined }),
      ).hub,
    ).toBe('east');
    expect(() =>
      entityScope(entity({ 'validatedpatterns.io/pattern': 'other' }), ONE),
    ).toThrow(
      new NotFoundError(
        'No hub runs pattern "other" (hub east runs multicloud-gitops): fix validatedpatterns.io/pattern on component:default/shop',
      ),
    );
    expect(() =>
      entityScope(entity({ 'argocd/app-name': 'shop' }), hubs({})),
    ).toThrow('No hub is configured (multicloudGitops.hubs)');
  });

  it.each([
    [
      {},
      'has no Multicloud GitOps annotation: add validatedpatterns.io/pattern',
    ],
    [
      { 'validatedpatterns.io/pattern': 'multicloud.gitops' },
      '"multicloud.gitops" is not a pattern name (DNS-1123 label)',
    ],
    [
      { 'validatedpatterns.io/pattern': 'Multicloud' },
      'is not a pattern name (DNS-1123 label)',
    ],
    [
      { 'validatedpatterns.io/pattern': 'a'.repeat(64) },
      'is not a pattern name (DNS-1123 label)',
    ],
    [
      {
        'validatedpatterns.io/pattern': 'multicloud-gitops',
        'validatedpatterns.io/cluster-group': 'Group One',
      },
      'Annotation validatedpatterns.io/cluster-group: "Group One" is not a cluster group name',
    ],
    [
      {
        'validatedpatterns.io/pattern': 'multicloud-gitops',
        'argocd/project-name': 'a b c',
      },
      'Annotation argocd/project-name: "a b c" is not an Argo CD project name',
    ],
    [
      { 'argocd/app-name': ' , ' },
      'Annotation argocd/app-name is empty: give an Argo CD application name',
    ],
    [
      { 'argocd/app-name': 'shop,Shop_Front' },
      'Annotation argocd/app-name: "Shop_Front" is not a valid Argo CD application name',
    ],
    [
      { 'argocd/app-selector': 'app in (a' },
      'Annotation argocd/app-selector: ',
    ],
  ])('rejects %j, naming the annotation to fix', (annotations, message) => {
    expect(() => entityScope(entity(annotations), ONE)).toThrow(InputError);
    expect(() => entityScope(entity(annotations), ONE)).toThrow(message);
  });
});
