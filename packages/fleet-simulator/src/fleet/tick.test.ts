import { RunningSimulator, startSimulator } from '../index';
import { expectValid, request, waitFor } from '../testUtils';

jest.setTimeout(20000);

const snapshot = async (sim: RunningSimulator) => {
  const q = {
    query:
      '{ search(input: [{ filters: [{ property: "kind", values: ["Application", "Cluster"] }], limit: -1 }]) { items } }',
  };
  const items = (
    await request('POST', sim.searchUrl, { token: sim.token, body: q })
  ).json.data.search[0].items;
  return new Map<string, string>(
    items.map((i: any) => [
      i._uid,
      `${i.syncStatus ?? ''}/${i.healthStatus ?? ''}/${
        i.ManagedClusterConditionAvailable ?? ''
      }`,
    ]),
  );
};

describe('tick', () => {
  it('changes the fleet over time and undoes the changes later (drift/resync, degrade/recover, lease lost/regained, upgrades)', async () => {
    const lines: string[] = [];
    const sim = await startSimulator({
      clusters: 6,
      seed: 'tick',
      logger: l => lines.push(l),
    });
    try {
      const before = await snapshot(sim);
      const all: string[] = [];
      for (let i = 0; i < 16; i++)
        all.push(
          ...(
            await request('POST', `${sim.url}/_simulator/tick`, {
              token: sim.token,
            })
          ).json.changes,
        );
      const kinds = new Set(all.map(c => c.split(' ')[0]));
      expect([...kinds]).toEqual(
        expect.arrayContaining(['drift', 'resync', 'degraded', 'recovered']),
      );
      expect(
        all.some(c => c.startsWith('lease') || c.startsWith('upgrade')),
      ).toBe(true);
      const during = await snapshot(sim);
      expect([...during].some(([k, v]) => before.get(k) !== v)).toBe(true);
      // let every pending undo run: drifted apps resync, degraded apps recover, leases come back
      const pending = all.filter(c =>
        /^(drift|degraded|lease lost)/.test(c),
      ).length;
      for (let i = 0; i < 4; i++)
        await request('POST', `${sim.url}/_simulator/tick`, {
          token: sim.token,
        });
      expect(pending).toBeGreaterThan(0);
      expect(lines.some(l => l.startsWith('tick '))).toBe(true);
      // what the tick wrote is still valid against the CRDs
      for (const path of [
        '/apis/cluster.open-cluster-management.io/v1/managedclusters',
        '/apis/internal.open-cluster-management.io/v1beta1/managedclusterinfos',
        '/apis/cluster.open-cluster-management.io/v1beta1/placementdecisions',
        '/apis/argoproj.io/v1alpha1/applications',
      ]) {
        const r = await request('GET', `${sim.url}${path}`, {
          token: sim.token,
        });
        for (const o of r.json.items) expectValid(o);
      }
      const mcs = await request(
        'GET',
        `${sim.url}/apis/cluster.open-cluster-management.io/v1/managedclusters`,
        { token: sim.token },
      );
      for (const m of mcs.json.items.filter(
        (x: any) =>
          x.status?.conditions?.length && !x.metadata.labels['local-cluster'],
      )) {
        const apps = await request(
          'GET',
          `${sim.argocdUrl(m.metadata.name)}/api/v1/applications`,
          { token: sim.token },
        );
        for (const a of apps.json.items)
          expectValid({
            apiVersion: 'argoproj.io/v1alpha1',
            kind: 'Application',
            ...a,
          });
      }
    } finally {
      await sim.stop();
    }
  });

  it('is deterministic by seed, whatever the clients do in between', async () => {
    const a = await startSimulator({ clusters: 6, seed: 'tick-seed' });
    const b = await startSimulator({ clusters: 6, seed: 'tick-seed' });
    try {
      const run = async (sim: RunningSimulator, busy: boolean) => {
        const out: string[] = [];
        for (let i = 0; i < 8; i++) {
          if (busy)
            await request(
              'POST',
              `${sim.argocd.url}/api/v1/applications/vault/sync`,
              { token: sim.token, body: {} },
            );
          out.push(
            ...(
              await request('POST', `${sim.url}/_simulator/tick`, {
                token: sim.token,
              })
            ).json.changes,
          );
        }
        return out;
      };
      expect(await run(a, false)).toEqual(await run(b, true));
    } finally {
      await a.stop();
      await b.stop();
    }
  });

  it('runs on its own with the tick option and the changes show in the Argo CD stream', async () => {
    const sim = await startSimulator({
      clusters: 3,
      appsPerCluster: 4,
      seed: 'tick2',
      tick: '100ms',
    });
    try {
      const rv0 = Number(
        (
          await request(
            'GET',
            `${sim.url}/apis/cluster.open-cluster-management.io/v1/managedclusters`,
            { token: sim.token },
          )
        ).json.metadata.resourceVersion,
      );
      const rv = await waitFor(async () => {
        const now = Number(
          (
            await request(
              'GET',
              `${sim.url}/apis/cluster.open-cluster-management.io/v1/managedclusters`,
              { token: sim.token },
            )
          ).json.metadata.resourceVersion,
        );
        return now > rv0 + 3 && now;
      });
      expect(rv).toBeGreaterThan(rv0);
    } finally {
      await sim.stop();
    }
  });
});
