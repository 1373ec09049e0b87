import { applicationKey } from './applicationKey';

describe('applicationKey', () => {
  it('tells applications apart by cluster, namespace and name', () => {
    const app = {
      name: 'hello-world',
      namespace: 'multicloud-gitops-group-one',
      cluster: 'east-1',
    };
    expect(applicationKey(app)).toBe(
      'east-1/multicloud-gitops-group-one/hello-world',
    );
    const keys = new Set(
      [
        app,
        { ...app, cluster: 'west-1' },
        { ...app, namespace: 'openshift-gitops' },
        { ...app, name: 'config-demo' },
      ].map(applicationKey),
    );
    expect(keys.size).toBe(4);
  });
});
