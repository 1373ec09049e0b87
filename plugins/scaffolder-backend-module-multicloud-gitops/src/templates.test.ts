import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { startSimulator } from '@multicloud-gitops-backstage/fleet-simulator';
import {
  createAddApplicationAction,
  createAddClusterGroupAction,
  createClusterImportAction,
  createClusterWaitAvailableAction,
  createCreatePatternAction,
  createFetchLocalAction,
  createPatternInstallAction,
  createPublishLocalAction,
  createValidatePatternAction,
} from './actions';
import { snapshotDir } from './__testUtils__/fixtures';
import { outputsOf, staticHubs } from './__testUtils__/actions';
import { simulatedHub, stopSimulator } from './__testUtils__/patterns';
import { upstreamSchemaErrors } from './__testUtils__/upstreamSchema';
import { readPattern, validatePattern } from './pattern';

const templatesDir = path.resolve(__dirname, '../templates');
const load = (name: string) =>
  parse(
    fs.readFileSync(path.join(templatesDir, name, 'template.yaml'), 'utf8'),
  );
const tmp = (p: string) => fs.mkdtempSync(path.join(os.tmpdir(), p));

const allActions = [
  createValidatePatternAction(),
  createCreatePatternAction(),
  createAddClusterGroupAction(),
  createAddApplicationAction(),
  createClusterImportAction({
    hubs: staticHubs('http://x', 't'),
    clusterUrl: () => '',
  }),
  createClusterWaitAvailableAction({ hubs: staticHubs('http://x', 't') }),
  createPatternInstallAction({ hubs: staticHubs('http://x', 't') }),
  createPublishLocalAction({}),
  createFetchLocalAction({}),
];

let runtimeActions = allActions;

/** Runs one of our actions the way a template step would, returning its outputs. */
async function step(
  id: string,
  input: Record<string, unknown>,
  workspacePath: string,
  extra: Record<string, unknown> = {},
) {
  const action = runtimeActions.find(a => a.id === id)!;
  const ctx = {
    ...createMockActionContext({
      input: input as any,
      workspacePath,
      ...extra,
    }),
  };
  await action.handler(ctx as any);
  return outputsOf(ctx.output as jest.Mock);
}

describe('templates', () => {
  it.each(['create-pattern', 'onboard-cluster', 'onboard-team'])(
    '%s only passes inputs our actions declare',
    name => {
      const template = load(name);
      expect(template.kind).toBe('Template');
      for (const s of template.spec.steps) {
        if (!s.action.startsWith('multicloud-gitops:')) {
          continue;
        }
        const action = allActions.find(a => a.id === s.action);
        expect(action).toBeDefined();
        const declared = Object.keys((action!.schema?.input as any).properties);
        expect(
          Object.keys(s.input ?? {}).filter(k => !declared.includes(k)),
        ).toEqual([]);
        const required: string[] =
          (action!.schema?.input as any).required ?? [];
        expect(required.filter(k => !(k in (s.input ?? {})))).toEqual([]);
      }
    },
  );

  it.each(['create-pattern', 'onboard-cluster', 'onboard-team'])(
    '%s has no keys the catalog would reject as case-duplicates',
    name => {
      // The catalog flattens an entity for search and refuses keys that differ
      // only in case (e.g. spec.steps.input.repoUrl vs repoURL).
      const seen = new Map<string, string>();
      const clashes: string[] = [];
      const walk = (v: unknown, at: string) => {
        if (Array.isArray(v)) {
          v.forEach(x => walk(x, at));
        } else if (v && typeof v === 'object') {
          for (const [k, x] of Object.entries(v)) {
            const p = `${at}.${k}`;
            const other = seen.get(p.toLowerCase());
            if (other !== undefined && other !== p) {
              clashes.push(`${p} vs ${other}`);
            }
            seen.set(p.toLowerCase(), p);
            walk(x, p);
          }
        }
      };
      walk(load(name), '');
      expect(clashes).toEqual([]);
    },
  );

  it('create-pattern skeleton only uses values the fetch:template step passes', () => {
    const template = load('create-pattern');
    const fetchStep = template.spec.steps.find(
      (s: any) => s.action === 'fetch:template',
    );
    const passed = Object.keys(fetchStep.input.values);
    const skeleton = path.join(
      templatesDir,
      'create-pattern',
      fetchStep.input.url,
    );
    const used = new Set<string>();
    for (const file of Object.keys(snapshotDir(skeleton))) {
      const text = fs.readFileSync(path.join(skeleton, file), 'utf8');
      for (const m of text.matchAll(/\bvalues\.([A-Za-z_]\w*)/g)) {
        used.add(m[1]);
      }
      // Balanced template tags: every {% if %} / {% for %} is closed.
      const opened = (text.match(/{%-?\s*(if|for)\b/g) ?? []).length;
      const closed = (text.match(/{%-?\s*end(if|for)\b/g) ?? []).length;
      expect(`${file}: ${closed}`).toBe(`${file}: ${opened}`);
    }
    expect([...used].filter(v => !passed.includes(v))).toEqual([]);
  });

  it('create-pattern form bounds keep every name within the naming rule', () => {
    const pages = load('create-pattern').spec.parameters;
    const name = pages[0].properties.name;
    const hub = pages[1].properties.hubGroup;
    const group = pages[1].properties.clusterGroups.items;
    expect(
      name.maxLength + 2 * Math.max(hub.maxLength, group.maxLength),
    ).toBeLessThan(47);
    for (const p of [name.pattern, hub.pattern, group.pattern]) {
      expect(new RegExp(p).test('group-one')).toBe(true);
      expect(new RegExp(p).test('Group_One')).toBe(false);
    }
  });

  it('create-pattern installs on a hub only when asked, last, with the published repository at main', () => {
    const template = load('create-pattern');
    const page = template.spec.parameters.find(
      (p: any) => p.properties.install,
    );
    expect(page.properties.install.default).toBe(false);
    const [off, on] = page.dependencies.install.oneOf;
    expect(off.properties.installHub).toBeUndefined();
    expect(on.properties.installHub.type).toBe('string');
    const steps = template.spec.steps;
    const install = steps[steps.length - 1];
    expect(install).toMatchObject({
      id: 'install',
      if: '${{ parameters.install }}',
      action: 'multicloud-gitops:pattern:install',
      input: {
        hub: '${{ parameters.installHub }}',
        patternName: '${{ parameters.name }}',
        targetRevision: 'main',
        clusterGroupName: '${{ parameters.hubGroup }}',
      },
    });
    for (const publish of [
      'publish-local',
      'publish-github',
      'publish-gitlab',
    ]) {
      expect(
        steps.find((x: any) => x.id === publish).input.defaultBranch ?? 'main',
      ).toBe('main');
      expect(install.input.targetRepo).toContain(
        `steps['${publish}'].output.remoteUrl`,
      );
    }
  });

  it('onboard-team refuses traversal in the chart directory field', () => {
    const oneOf =
      load('onboard-team').spec.parameters[1].dependencies.source.oneOf;
    const re = new RegExp(oneOf[0].properties.chartPath.pattern);
    expect(['charts/all/app', 'charts/region/x-y'].every(v => re.test(v))).toBe(
      true,
    );
    expect(
      ['../x', 'charts/../../etc', '/etc/passwd', 'a/..'].some(v => re.test(v)),
    ).toBe(false);
  });
});

describe('templates run step by step (local repository, fleet simulator)', () => {
  let sim: Awaited<ReturnType<typeof startSimulator>>;
  let root: string;
  beforeAll(async () => {
    sim = await startSimulator({
      clusters: 2,
      groups: 1,
      appsPerCluster: 1,
      patternPoll: 0,
    });
    root = tmp('mcg-local-git-');
    runtimeActions = [
      ...allActions.filter(
        a => !/cluster:|publish:local|fetch:local|pattern:install/.test(a.id),
      ),
      createPatternInstallAction({ hubs: staticHubs(sim.url, sim.token) }),
      createClusterImportAction({
        hubs: staticHubs(sim.url, sim.token),
        clusterUrl: (h, c) =>
          `http://portal/multicloud-gitops?hub=${h}&cluster=${c}`,
      }),
      createClusterWaitAvailableAction({
        hubs: staticHubs(sim.url, sim.token),
      }),
      createPublishLocalAction({ rootDir: root }),
      createFetchLocalAction({ rootDir: root }),
    ];
  });
  afterAll(() => stopSimulator(sim));

  it('create-pattern: generate, validate, publish; the clone passes validate and the upstream schema', async () => {
    const started = Date.now();
    const ws = tmp('mcg-ws-');
    fs.cpSync(path.join(templatesDir, 'create-pattern/skeleton'), ws, {
      recursive: true,
    });
    await step(
      'multicloud-gitops:pattern:create',
      {
        name: 'retail',
        description: 'Retail',
        owners: 'group:default/team-a',
        hubGroup: 'hub',
        clusterGroups: ['store', 'warehouse'],
        secrets: true,
        exampleApps: true,
      },
      ws,
    );
    await step('multicloud-gitops:pattern:validate', {}, ws);
    const pub = await step(
      'multicloud-gitops:publish:local',
      { repoName: 'retail', gitCommitMessage: 'Create the retail pattern' },
      ws,
    );
    const elapsed = Date.now() - started;
    // The <= 5 s target is the templates end-to-end run's (scripts/templates-e2e.js, through
    // the REST API); here the figure is only printed.
    // eslint-disable-next-line no-console
    console.log(
      `create-pattern (local repository, actions only): ${elapsed} ms`,
    );

    const clone = tmp('mcg-clone-');
    execFileSync('git', [
      'clone',
      '--quiet',
      pub.remoteUrl.replace('file://', ''),
      clone,
    ]);
    expect((await validatePattern(await readPattern(clone))).errors).toEqual(
      [],
    );
    expect(Object.values(upstreamSchemaErrors(clone)).flat()).toEqual([]);
    expect(fs.existsSync(path.join(clone, 'values-store.yaml'))).toBe(true);
  });

  it('onboard-cluster: a new group by local push, the import on the hub; the second run changes nothing', async () => {
    const run = async () => {
      const ws = tmp('mcg-ws-');
      await step('multicloud-gitops:fetch:local', { repoName: 'retail' }, ws);
      const group = await step(
        'multicloud-gitops:values:add-cluster-group',
        { group: 'kiosk' },
        ws,
      );
      await step('multicloud-gitops:pattern:validate', {}, ws);
      const pub = group.changed
        ? await step(
            'multicloud-gitops:publish:local',
            { repoName: 'retail', gitCommitMessage: 'Add cluster group kiosk' },
            ws,
          )
        : undefined;
      const imported = await step(
        'multicloud-gitops:cluster:import',
        { hub: '', clusterName: 'kiosk-01', clusterGroup: 'kiosk', labels: {} },
        ws,
        {
          secrets: {
            kubeconfig:
              'apiVersion: v1\nkind: Config\nclusters:\n- name: kiosk\n  cluster:\n    server: https://api.kiosk-01:6443\nusers:\n- name: admin\n  user:\n    token: sha256~kiosk-secret-value\n',
          },
        },
      );
      return { ws, group, pub, imported };
    };
    const first = await run();
    expect(first.group.changed).toBe(true);
    expect(first.pub?.changed).toBe(true);
    expect(first.imported).toMatchObject({
      importMode: 'auto',
      clusterUrl: 'http://portal/multicloud-gitops?hub=hub&cluster=kiosk-01',
    });
    expect(first.imported.created).toHaveLength(4);
    expect(JSON.stringify(snapshotDir(first.ws))).not.toContain(
      'kiosk-secret-value',
    );

    const second = await run();
    expect(second.group.changed).toBe(false);
    expect(second.pub).toBeUndefined();
    expect(second.imported.created).toEqual([]);
    const log = execFileSync(
      'git',
      ['--git-dir', path.join(root, 'retail.git'), 'log', '--format=%s'],
      { encoding: 'utf8' },
    );
    expect(log.trim().split('\n')).toEqual([
      'Add cluster group kiosk',
      'Create the retail pattern',
    ]);
    // git grep exits 1 when nothing matches.
    expect(
      spawnSync('git', [
        '--git-dir',
        path.join(root, 'retail.git'),
        'grep',
        'kiosk-secret-value',
        'HEAD',
      ]).status,
    ).toBe(1);
  });

  it('onboard-team: adds the application by local push, validated; the second run changes nothing', async () => {
    const run = async () => {
      const ws = tmp('mcg-ws-');
      await step('multicloud-gitops:fetch:local', { repoName: 'retail' }, ws);
      const app = await step(
        'multicloud-gitops:values:add-application',
        {
          group: 'store',
          app: 'pos',
          namespace: 'pos',
          argoProject: 'pos',
          path: '',
          chart: 'pos',
          chartVersion: '2.1.*',
          chartRepoUrl: 'https://charts.example.com',
        },
        ws,
      );
      await step('multicloud-gitops:pattern:validate', {}, ws);
      if (app.changed) {
        await step(
          'multicloud-gitops:publish:local',
          { repoName: 'retail', gitCommitMessage: 'Deploy pos to store' },
          ws,
        );
      }
      return app;
    };
    expect((await run()).changed).toBe(true);
    expect((await run()).changed).toBe(false);
    const clone = tmp('mcg-clone-');
    execFileSync('git', [
      'clone',
      '--quiet',
      path.join(root, 'retail.git'),
      clone,
    ]);
    expect(
      parse(fs.readFileSync(path.join(clone, 'values-store.yaml'), 'utf8'))
        .clusterGroup.applications.pos,
    ).toEqual({
      name: 'pos',
      namespace: 'pos',
      argoProject: 'pos',
      chart: 'pos',
      chartVersion: '2.1.*',
      repoURL: 'https://charts.example.com',
    });
    expect(Object.values(upstreamSchemaErrors(clone)).flat()).toEqual([]);
  });

  it('create-pattern with "Install on a hub": the served repository becomes the Pattern of a hub without one', async () => {
    const hub = simulatedHub(sim);
    await hub.uninstall('openshift-operators', 'multicloud-gitops');
    const ws = tmp('mcg-ws-');
    await step('multicloud-gitops:fetch:local', { repoName: 'retail' }, ws);
    // publish:local as a portal with localGit.baseUrl runs it: an http URL the hub can clone.
    const pubCtx = createMockActionContext({
      input: { repoName: 'retail' },
      workspacePath: ws,
    });
    await createPublishLocalAction({
      rootDir: root,
      baseUrl: 'http://portal.example.com/api/local-git',
    }).handler(pubCtx);
    const pub = outputsOf(pubCtx.output as jest.Mock);
    const installed = await step(
      'multicloud-gitops:pattern:install',
      {
        hub: '',
        patternName: 'retail',
        targetRepo: pub.remoteUrl,
        targetRevision: 'main',
        clusterGroupName: 'hub',
      },
      ws,
    );
    expect(installed).toMatchObject({ name: 'retail', result: 'created' });
    const pattern = await hub.pattern(installed.namespace, 'retail');
    expect(pattern.spec).toMatchObject({
      clusterGroupName: 'hub',
      gitSpec: {
        targetRepo: 'http://portal.example.com/api/local-git/retail.git',
        targetRevision: 'main',
      },
    });
  });
});
