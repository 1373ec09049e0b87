import { mockServices } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { startSimulator } from '@multicloud-gitops-backstage/fleet-simulator';
import {
  ConfigHubConnectionResolver,
  HubConnectionResolver,
} from '../hub/config';
import { createPatternInstallAction } from './patternInstall';
import {
  outputsOf,
  recordingLogger,
  staticHubs,
} from '../__testUtils__/actions';
import {
  PATTERNS_API,
  simulatedHub,
  stopSimulator,
} from '../__testUtils__/patterns';

/** The hub token of these tests: it must never show up in a log line, an output or an error. */
const CANARY = 'sha256~CANARY-hub-token-9f8e7d6c5b4a';
const REPO = 'https://git.example.com/team/retail.git';

/** multicloudGitops.hubs as the module reads it. */
const configuredHubs = (hubs: Array<Record<string, string>>) =>
  ConfigHubConnectionResolver.fromConfig(
    mockServices.rootConfig({ data: { multicloudGitops: { hubs } } }),
  );

/**
 * Against the fleet simulator: a real HTTP hub API that validates every write
 * against the upstream Pattern CRD. Each simulated hub starts with the Pattern
 * multicloud-gitops in openshift-operators, as a legacy install has it.
 */
describe('multicloud-gitops:pattern:install', () => {
  let sim: Awaited<ReturnType<typeof startSimulator>>;
  let hub: ReturnType<typeof simulatedHub>;
  beforeEach(async () => {
    sim = await startSimulator({
      clusters: 1,
      groups: 1,
      appsPerCluster: 1,
      token: CANARY,
      patternPoll: 0,
    });
    hub = simulatedHub(sim);
  });
  afterEach(() => stopSimulator(sim));

  const patterns = () => hub.patterns();
  const seededPattern = () =>
    hub.pattern('openshift-operators', 'multicloud-gitops');
  const uninstallSeeded = async () => {
    await hub.uninstall('openshift-operators', 'multicloud-gitops');
    expect(await patterns()).toEqual([]);
  };

  const run = async (
    input: Record<string, unknown>,
    opts: { hubs?: HubConnectionResolver; isDryRun?: boolean } = {},
  ) => {
    const { logger, lines } = recordingLogger();
    const action = createPatternInstallAction({
      hubs: opts.hubs ?? staticHubs(sim.url, sim.token),
      defaultHubName: 'hub',
    });
    const ctx = {
      ...createMockActionContext({ input: input as any, logger }),
      ...(opts.isDryRun ? { isDryRun: true } : {}),
    };
    await action.handler(ctx as any);
    return { outputs: outputsOf(ctx.output as jest.Mock), lines: lines() };
  };

  it('creates the Pattern on a hub without one, in the legacy operator namespace when patterns-operator does not exist', async () => {
    await uninstallSeeded();
    const { outputs, lines } = await run({
      patternName: 'retail',
      targetRepo: REPO,
    });
    expect(outputs).toMatchObject({
      name: 'retail',
      namespace: 'openshift-operators',
      hub: 'hub',
      result: 'created',
      changes: [],
    });
    // The link goes to the Pattern's page in the console the local-cluster reports.
    expect(outputs.consoleUrl).toMatch(
      /^https:\/\/console-openshift-console\.apps\.[^/]+\/k8s\/ns\/openshift-operators\/gitops\.hybrid-cloud-patterns\.io~v1alpha1~Pattern\/retail$/,
    );
    expect(lines.join('\n')).toContain(
      'namespace patterns-operator does not exist on hub hub: using openshift-operators',
    );
    const [created] = await patterns();
    expect(created.metadata).toMatchObject({
      name: 'retail',
      namespace: 'openshift-operators',
    });
    expect(created.spec).toMatchObject({
      clusterGroupName: 'hub',
      gitSpec: { targetRepo: REPO, targetRevision: 'main' },
    });
  });

  it('creates the Pattern in patterns-operator where the operator runs there', async () => {
    await uninstallSeeded();
    const ns = await hub.hubFetch('/api/v1/namespaces', {
      method: 'POST',
      body: JSON.stringify({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'patterns-operator' },
      }),
    });
    expect(ns.status).toBe(201);
    const { outputs } = await run({
      patternName: 'retail',
      targetRepo: REPO,
      targetRevision: 'release-1',
      clusterGroupName: 'datacenter',
    });
    expect(outputs).toMatchObject({
      namespace: 'patterns-operator',
      result: 'created',
    });
    const got = await hub.pattern('patterns-operator', 'retail');
    expect(got.spec.clusterGroupName).toBe('datacenter');
    expect(got.spec.gitSpec.targetRevision).toBe('release-1');
  });

  it('updates the existing Pattern of the same name where it is, keeps its other fields, and a second run changes nothing', async () => {
    const before = await seededPattern();
    const first = await run({
      patternName: 'multicloud-gitops',
      targetRepo: 'https://git.example.com/fork/multicloud-gitops.git',
      targetRevision: 'v2.0.0',
      namespace: 'patterns-operator',
    });
    expect(first.outputs).toMatchObject({
      namespace: 'openshift-operators',
      result: 'updated',
      changes: [
        `gitSpec.targetRepo: ${before.spec.gitSpec.targetRepo} -> https://git.example.com/fork/multicloud-gitops.git`,
        'gitSpec.targetRevision: main -> v2.0.0',
      ],
    });
    // The namespace input is where a new Pattern goes; a running one is not moved.
    expect(first.lines.join('\n')).toContain(
      'Pattern multicloud-gitops already exists in namespace openshift-operators; updating it there rather than in patterns-operator',
    );
    const updated = await seededPattern();
    expect(updated.spec.gitSpec).toMatchObject({
      ...before.spec.gitSpec,
      targetRepo: 'https://git.example.com/fork/multicloud-gitops.git',
      targetRevision: 'v2.0.0',
    });
    expect(updated.spec.multiSourceConfig).toEqual(
      before.spec.multiSourceConfig,
    );

    const second = await run({
      patternName: 'multicloud-gitops',
      targetRepo: 'https://git.example.com/fork/multicloud-gitops.git',
      targetRevision: 'v2.0.0',
    });
    expect(second.outputs).toMatchObject({
      result: 'unchanged',
      changes: [],
    });
    expect(second.lines.join('\n')).toContain(
      'is already up to date; nothing changed',
    );
    // The simulated operator writes the Pattern's status as it reconciles; only a spec
    // write moves the generation.
    expect(updated.metadata.generation).toBe(before.metadata.generation + 1);
    expect((await seededPattern()).metadata.generation).toBe(
      updated.metadata.generation,
    );
  });

  it('replaces the variant alias by clusterGroupName, which the webhook allows only one of', async () => {
    const url = `${PATTERNS_API}/namespaces/openshift-operators/patterns/multicloud-gitops`;
    const aliased = await hub.hubFetch(url, {
      method: 'PATCH',
      headers: { 'content-type': 'application/merge-patch+json' },
      body: JSON.stringify({
        spec: { clusterGroupName: null, variant: 'hub' },
      }),
    });
    expect(aliased.ok).toBe(true);
    const same = await run({
      patternName: 'multicloud-gitops',
      targetRepo: (await seededPattern()).spec.gitSpec.targetRepo,
    });
    expect(same.outputs.result).toBe('unchanged');
    const moved = await run({
      patternName: 'multicloud-gitops',
      targetRepo: (await seededPattern()).spec.gitSpec.targetRepo,
      clusterGroupName: 'datacenter',
    });
    expect(moved.outputs.changes).toEqual([
      'clusterGroupName: hub -> datacenter',
    ]);
    const spec = (await seededPattern()).spec;
    expect(spec.clusterGroupName).toBe('datacenter');
    expect(spec.variant).toBeUndefined();
  });

  it('refuses to install a second Pattern on a hub, naming the one there, and writes nothing', async () => {
    await expect(
      run({ patternName: 'retail', targetRepo: REPO }),
    ).rejects.toThrow(
      /hub hub already runs the Pattern openshift-operators\/multicloud-gitops; the patterns operator allows only one Pattern per cluster/,
    );
    expect((await patterns()).map(p => p.metadata.name)).toEqual([
      'multicloud-gitops',
    ]);
  });

  it('dry run reports what it would do and writes nothing, from the input or the task', async () => {
    const generation = (await seededPattern()).metadata.generation;
    const byInput = await run({
      patternName: 'multicloud-gitops',
      targetRepo: REPO,
      dryRun: true,
    });
    expect(byInput.outputs.result).toBe('updated');
    expect(byInput.lines.join('\n')).toContain(
      'dry run: would update Pattern openshift-operators/multicloud-gitops on hub hub: gitSpec.targetRepo:',
    );
    expect((await seededPattern()).metadata.generation).toBe(generation);
    await uninstallSeeded();
    const byTask = await run(
      { patternName: 'retail', targetRepo: REPO },
      { isDryRun: true },
    );
    expect(byTask.outputs.result).toBe('created');
    expect(byTask.lines.join('\n')).toContain(
      'dry run: would create Pattern openshift-operators/retail on hub hub with clusterGroupName hub',
    );
    expect(await patterns()).toEqual([]);
  });

  it("links to the Pattern in the hub's configured console, named by the hub input", async () => {
    const hubs = configuredHubs([
      {
        name: 'east',
        url: 'http://127.0.0.1:1',
        serviceAccountToken: 'x',
      },
      {
        name: 'west',
        url: sim.url,
        serviceAccountToken: sim.token,
        consoleUrl: 'https://console.west.example.com/',
      },
    ]);
    const { outputs } = await run(
      {
        hub: 'west',
        patternName: 'multicloud-gitops',
        targetRepo: (await seededPattern()).spec.gitSpec.targetRepo,
      },
      { hubs },
    );
    expect(outputs).toMatchObject({
      hub: 'west',
      result: 'unchanged',
      consoleUrl:
        'https://console.west.example.com/k8s/ns/openshift-operators/gitops.hybrid-cloud-patterns.io~v1alpha1~Pattern/multicloud-gitops',
    });
  });

  it('refuses an unknown hub, listing the configured ones, before any hub call', async () => {
    const hubs = configuredHubs([
      { name: 'east', url: sim.url, serviceAccountToken: sim.token },
      { name: 'west', url: sim.url, serviceAccountToken: sim.token },
    ]);
    await expect(
      run({ hub: 'north', patternName: 'retail', targetRepo: REPO }, { hubs }),
    ).rejects.toThrow('unknown hub "north"; configured hubs: east, west');
    expect((await patterns()).map(p => p.metadata.name)).toEqual([
      'multicloud-gitops',
    ]);
  });

  it.each([
    [
      { patternName: 'Retail_1' },
      /patternName "Retail_1" is not a DNS-1123 label/,
    ],
    [{ clusterGroupName: 'Hub' }, /clusterGroupName "Hub" is not a DNS-1123/],
    [{ namespace: 'patterns_operator' }, /namespace "patterns_operator"/],
    [
      { patternName: 'a'.repeat(30), clusterGroupName: 'datacenter' },
      /must be below 47/,
    ],
    [
      { targetRepo: 'file:///srv/git/retail.git' },
      /http\(s\) URL the hub can clone/,
    ],
    [{ targetRepo: 'not a url' }, /targetRepo must be the http\(s\) URL/],
    [{ targetRevision: 'abc1234' }, /short commit SHA/],
    [{ targetRevision: 'feature..x' }, /not a valid branch, tag or commit/],
    [{ targetRevision: 'main\u0007' }, /not a valid branch, tag or commit/],
  ])(
    'refuses bad input %j with an InputError, without contacting the hub',
    async (bad, message) => {
      const resolve = jest.fn();
      const err = await run(
        { patternName: 'retail', targetRepo: REPO, ...bad },
        { hubs: { resolve } },
      ).catch(e => e);
      expect(err.name).toBe('InputError');
      expect(err.message).toMatch(message);
      expect(resolve).not.toHaveBeenCalled();
    },
  );

  it('never puts the hub token or repository credentials in a log line, an output or an error', async () => {
    const seen: string[] = [];
    const collect = async (
      input: Record<string, unknown>,
      hubs?: HubConnectionResolver,
    ) => {
      try {
        const { outputs, lines } = await run(input, { hubs });
        seen.push(JSON.stringify(outputs), ...lines);
      } catch (e: any) {
        seen.push(e.message, String(e.stack));
      }
    };
    await collect({ patternName: 'multicloud-gitops', targetRepo: REPO });
    await collect({
      patternName: 'multicloud-gitops',
      targetRepo: `${REPO}x`,
      dryRun: true,
    });
    await collect({ patternName: 'retail', targetRepo: REPO });
    // A token that may read but not write: the 403 is reported without it.
    await collect(
      { patternName: 'multicloud-gitops', targetRepo: `${REPO}y` },
      staticHubs(sim.url, sim.readOnlyToken),
    );
    await collect(
      { patternName: 'multicloud-gitops', targetRepo: REPO },
      staticHubs(sim.url, `${CANARY}-revoked`),
    );
    await collect({
      patternName: 'multicloud-gitops',
      targetRepo: `https://deploy:${CANARY}@git.example.com/team/retail.git`,
    });
    const text = seen.join('\n');
    expect(text).toContain('HTTP 403');
    expect(text).toContain('HTTP 401');
    expect(text).toContain('targetRepo must not carry credentials');
    expect(text).not.toContain('CANARY');
    expect(text.toLowerCase()).not.toContain('authorization');
    expect(text).not.toContain('Bearer');
  });
});
