import { ConfigReader } from '@backstage/config';
import { readSimulatorConfig } from './config';

const read = (simulator: object, localGit?: object) =>
  readSimulatorConfig(
    new ConfigReader({ multicloudGitops: { simulator, localGit } }),
  );

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
      hubs: 1,
    });
  });

  it('reads the number of hubs, a whole number from 1 to 10', () => {
    expect(read({ enabled: true, hubs: 3 })).toMatchObject({
      hubs: 3,
      port: 7008,
    });
    for (const hubs of [0, 11, 1.5, -1]) {
      expect(() => read({ enabled: true, hubs })).toThrow(
        `Invalid config at multicloudGitops.simulator.hubs: ${hubs} is not a whole number from 1 to 10`,
      );
    }
    expect(() => read({ enabled: true, hubs: 'two' })).toThrow(
      /multicloudGitops\.simulator\.hubs/,
    );
    expect(() => read({ enabled: true, hubs: 2, port: 65535 })).toThrow(
      'Invalid config at multicloudGitops.simulator.port: 65535 leaves no room for 2 hubs on consecutive ports',
    );
    expect(read({ enabled: true, hubs: 2, port: 0 })).toMatchObject({
      hubs: 2,
      port: 0,
    });
  });

  it('follows the local repository of the seeded pattern when local git is configured, unless told not to', () => {
    const localGit = {
      rootDir: '/tmp/repos',
      baseUrl: 'http://localhost:7007/api/local-git/',
    };
    expect(read({ enabled: true }, localGit)?.follow).toEqual({
      repoDir: '/tmp/repos/multicloud-gitops.git',
      repoUrl: 'http://localhost:7007/api/local-git/multicloud-gitops.git',
    });
    expect(
      read({ enabled: true, pattern: 'retail' }, localGit)?.follow,
    ).toMatchObject({
      repoUrl: 'http://localhost:7007/api/local-git/retail.git',
    });
    expect(
      read({ enabled: true, followLocalGit: false }, localGit)?.follow,
    ).toBeUndefined();
    expect(read({ enabled: true })?.follow).toBeUndefined();
  });

  it('reads the patterns poll, a duration', () => {
    expect(read({ enabled: true, patternPoll: '2s' })?.patternPoll).toBe('2s');
    expect(read({ enabled: true })?.patternPoll).toBeUndefined();
    expect(() => read({ enabled: true, patternPoll: 'often' })).toThrow(
      'Invalid config at multicloudGitops.simulator.patternPoll: "often" is not a duration such as 2s or 10s',
    );
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
