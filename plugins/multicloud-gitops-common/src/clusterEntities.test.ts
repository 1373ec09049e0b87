import { DEFAULT_NAMESPACE, parseEntityRef } from '@backstage/catalog-model';
import {
  clusterEntityName,
  clusterEntityRef,
  clusterGroupEntityName,
} from './clusterEntities';

describe('cluster entity names', () => {
  it('joins hub and cluster, so equal cluster names on two hubs stay apart', () => {
    expect(clusterEntityName('hub-a', 'east-1')).toBe('hub-a-east-1');
    expect(clusterEntityName('hub-b', 'east-1')).toBe('hub-b-east-1');
    expect(clusterGroupEntityName('hub-a', 'dev')).toBe('hub-a-group-dev');
  });

  it('shortens long names to 63 characters, distinct and valid', () => {
    const long = 'c'.repeat(63);
    const a = clusterEntityName('hub', long);
    const b = clusterEntityName('hub', `${'c'.repeat(62)}d`);
    expect(a).toHaveLength(63);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    expect(clusterEntityName('hub', long)).toBe(a);
  });

  it('gives a reference the catalog parses back to the same entity', () => {
    const ref = parseEntityRef(clusterEntityRef('hub', 'east-1'));
    expect(ref).toEqual({
      kind: 'resource',
      namespace: DEFAULT_NAMESPACE,
      name: 'hub-east-1',
    });
  });
});
