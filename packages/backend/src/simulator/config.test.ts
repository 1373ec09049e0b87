import { ConfigReader } from '@backstage/config';
import { readSimulatorConfig } from './config';

const read = (simulator: object) =>
  readSimulatorConfig(new ConfigReader({ multicloudGitops: { simulator } }));

describe('readSimulatorConfig', () => {
  it('is off unless enabled', () => {
    expect(read({})).toBeUndefined();
    expect(read({ enabled: false, clusters: 3 })).toBeUndefined();
  });

  it('fills sensible defaults', () => {
    expect(read({ enabled: true })).toMatchObject({
      port: 7008,
      host: '127.0.0.1',
      clusters: 12,
      groups: 3,
      appsPerCluster: 4,
    });
  });

  it('names the key and the allowed range on bad values', () => {
    expect(() => read({ enabled: true, clusters: 9000 })).toThrow(
      'Invalid config at multicloudGitops.simulator.clusters: 9000 is not a whole number from 0 to 5000',
    );
    expect(() => read({ enabled: true, tick: 'soon' })).toThrow(
      /multicloudGitops\.simulator\.tick: "soon" is not a duration/,
    );
    expect(() => read({ enabled: true, fixtures: '/nope/missing' })).toThrow(
      /simulator\.fixtures: directory "\/nope\/missing" does not exist/,
    );
  });
});
