import { HUB } from '../context';
import { typeKey, TYPE } from '../k8s/registry';
import { PatternsOperator } from '../patterns/operator';
import { testContext } from '../patterns/testContext';
import { startTestRepo } from '../patterns/testGitServer';
import { groupAppDefs } from './generate';
import { seededPatternFiles } from './patternRepo';

const APP = typeKey(TYPE.application);

describe('the seeded pattern repo', () => {
  it('deploys, through the patterns operator, the applications the seeded fleet has', async () => {
    const o = { clusters: 12, groups: 3, appsPerCluster: 6, pattern: 'mcg' };
    const t = testContext(o);
    const apps = () => {
      const out: string[] = [];
      for (const c of t.store.clusters.keys())
        for (const a of t.store.list(c, APP))
          if (a.metadata.labels?.['validatedpatterns.io/pattern'] === 'mcg')
            out.push(`${c}/${a.metadata.namespace}/${a.metadata.name}`);
      return out.sort();
    };
    const seeded = apps();
    expect(seeded.length).toBeGreaterThan(12 * 3);

    const repo = await startTestRepo();
    const op = new PatternsOperator(t.ctx, 0);
    try {
      repo.commit(
        seededPatternFiles({
          pattern: 'mcg',
          groups: ['group-one', 'group-two', 'group-three'],
          groupApps: groupAppDefs(o.appsPerCluster),
        }),
      );
      op.start();
      t.store.put(HUB, typeKey(TYPE.pattern), {
        apiVersion: 'gitops.hybrid-cloud-patterns.io/v1alpha1',
        kind: 'Pattern',
        metadata: { name: 'mcg', namespace: 'patterns-operator' },
        spec: {
          clusterGroupName: 'hub',
          gitSpec: { targetRepo: repo.url, targetRevision: 'main' },
        },
      });
      await op.idle();
      // the operator rendered every seeded app again, on the same clusters, and no other
      const rendered = apps();
      expect(rendered).toEqual(seeded);
      expect(
        t.store.get(HUB, APP, 'openshift-gitops', 'config-demo')?.status.sync
          .status,
      ).toBe('OutOfSync');
    } finally {
      op.stop();
      await repo.close();
    }
  });
});
