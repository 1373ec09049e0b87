/*
 * Managed clusters in the catalog, on the example portal and its simulated hub: the catalog
 * module's entities, the System's relations to them, the Kubernetes plugin reaching every
 * managed cluster through the hub's cluster-proxy, and our card on a cluster's page.
 */
'use strict';
const assert = require('node:assert/strict');
const path = require('node:path');

// The browser tests' simulator (e2e/app-config.e2e.yaml) and its full-rights token.
const SIMULATOR = 'http://127.0.0.1:7018';
const SIMULATOR_TOKEN = 'fleet-simulator-token';
const HUB = 'hub';

function clusterTests({ api, eventually, signIn }) {
  const entityName = cluster => `${HUB}-${cluster}`;

  async function topology(ctx) {
    const { status, body } = await eventually(
      async () => {
        const r = await api(
          ctx,
          `/api/multicloud-gitops/v1/topology?hub=${HUB}`,
        );
        return r.status === 200 && r.body.clusters.length > 1 ? r : undefined;
      },
      60000,
      'the topology of the simulated hub',
    );
    assert.equal(status, 200);
    return body;
  }

  async function clusterEntities(ctx, expected) {
    const { body } = await eventually(
      async () => {
        const r = await api(
          ctx,
          '/api/catalog/entities?filter=kind=resource,spec.type=kubernetes-cluster',
        );
        return r.status === 200 && r.body.length >= expected ? r : undefined;
      },
      90000,
      `${expected} cluster entities in the catalog`,
    );
    return body;
  }

  async function simulator(p, body) {
    const res = await fetch(`${SIMULATOR}${p}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${SIMULATOR_TOKEN}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(body),
    });
    assert.equal(res.status, 200, `${p}: ${await res.text()}`);
  }

  return [
    {
      name: 'the catalog lists every managed cluster of the hub as a Resource of type kubernetes-cluster',
      async run(ctx) {
        const { clusters } = await topology(ctx);
        const entities = await clusterEntities(ctx, clusters.length);
        assert.deepEqual(
          entities.map(e => e.metadata.name).sort(),
          clusters.map(c => entityName(c.name)).sort(),
        );
        const spoke = clusters.find(c => !c.isHub && c.group !== '(ungrouped)');
        const entity = entities.find(
          e => e.metadata.name === entityName(spoke.name),
        );
        const a = entity.metadata.annotations;
        assert.equal(a['validatedpatterns.io/hub'], HUB);
        assert.equal(a['validatedpatterns.io/cluster'], spoke.name);
        assert.equal(a['validatedpatterns.io/cluster-group'], spoke.group);
        assert.equal(
          a['kubernetes.io/api-server'],
          `${SIMULATOR}/cluster-proxy/${spoke.name}`,
        );
        assert.equal(a['kubernetes.io/auth-provider'], 'multicloudGitopsHub');
        assert.equal(entity.spec.owner, 'group:default/platform-team');
        assert.match(
          entity.spec.system,
          /^(system:default\/)?multicloud-gitops$/,
        );
        assert.equal(entity.metadata.labels.clusterGroup, spoke.group);
      },
    },
    {
      name: "the pattern's System has its cluster groups and clusters as parts",
      async run(ctx) {
        const { clusters } = await topology(ctx);
        const grouped = clusters.filter(c => c.group !== '(ungrouped)');
        const { body: system } = await eventually(
          async () => {
            const r = await api(
              ctx,
              '/api/catalog/entities/by-name/system/default/multicloud-gitops',
            );
            const parts = (r.body.relations ?? []).filter(
              rel => rel.type === 'hasPart',
            );
            return parts.length >= grouped.length ? r : undefined;
          },
          90000,
          'the System to relate to its clusters',
        );
        const parts = new Set(
          system.relations
            .filter(rel => rel.type === 'hasPart')
            .map(rel => rel.targetRef),
        );
        for (const c of grouped)
          assert.ok(
            parts.has(`resource:default/${entityName(c.name)}`),
            `System has no part ${c.name}`,
          );
        const groups = new Set(grouped.filter(c => !c.isHub).map(c => c.group));
        for (const g of groups)
          assert.ok(
            parts.has(`resource:default/${HUB}-group-${g}`),
            `System has no cluster group ${g}`,
          );
      },
    },
    {
      name: 'the catalog page lists the managed clusters, and the System page has them as resources',
      browser: true,
      async run(ctx) {
        const { clusters } = await topology(ctx);
        const spokes = clusters.filter(c => !c.isHub).map(c => c.name);
        await clusterEntities(ctx, clusters.length);
        const page = ctx.page ?? (await signIn(ctx));
        await page.goto(
          `${ctx.url}/?filters%5Bkind%5D=resource&filters%5Btype%5D=kubernetes-cluster`,
        );
        for (const name of spokes.slice(0, 3))
          await page
            .getByRole('link', { name, exact: true })
            .first()
            .waitFor({ timeout: 60000 });
        await page.screenshot({
          path: path.join(ctx.shots, 'catalog-clusters.png'),
        });
        await page.goto(`${ctx.url}/catalog/default/system/multicloud-gitops`);
        await page
          .getByText('Has resources', { exact: true })
          .first()
          .waitFor({ timeout: 60000 });
        const grouped = clusters.filter(
          c => !c.isHub && c.group !== '(ungrouped)',
        );
        for (const c of grouped.slice(0, 3))
          await page
            .getByRole('link', { name: c.name, exact: true })
            .first()
            .waitFor({ timeout: 60000 });
      },
    },
    {
      name: 'a relabelled managed cluster shows its new owner in the catalog within 30 s',
      async run(ctx) {
        const { clusters } = await topology(ctx);
        const spoke = clusters.filter(c => !c.isHub).slice(-1)[0];
        const ref = `/api/catalog/entities/by-name/resource/default/${entityName(
          spoke.name,
        )}`;
        await simulator('/_simulator/mutate', {
          op: 'cluster-labels',
          cluster: spoke.name,
          labels: { owner: 'team-hello' },
        });
        try {
          await eventually(
            async () => {
              const r = await api(ctx, ref);
              return r.body?.spec?.owner === 'group:default/team-hello';
            },
            30000,
            'the new owner in the catalog',
          );
        } finally {
          await simulator('/_simulator/mutate', {
            op: 'cluster-labels',
            cluster: spoke.name,
            labels: { owner: null },
          });
        }
      },
    },
    {
      name: "hello-world's Kubernetes workloads come from several managed clusters through the hub",
      async run(ctx) {
        const { body } = await eventually(
          async () => {
            const r = await api(
              ctx,
              '/api/kubernetes/resources/workloads/query',
              {
                method: 'POST',
                body: JSON.stringify({
                  auth: {},
                  entityRef: 'component:default/hello-world',
                }),
              },
            );
            const withPods = (r.body.items ?? []).filter(i =>
              i.resources.some(
                res => res.type === 'pods' && res.resources.length,
              ),
            );
            return r.status === 200 && withPods.length >= 2 ? r : undefined;
          },
          90000,
          'hello-world pods on two clusters',
        );
        // An unavailable cluster cannot be reached through the proxy (503): its own error.
        const { clusters } = await topology(ctx);
        const available = new Set(
          clusters
            .filter(c => c.status === 'available')
            .map(c => entityName(c.name)),
        );
        for (const item of body.items)
          if (available.has(item.cluster.name))
            assert.deepEqual(item.errors, [], item.cluster.name);
      },
    },
    {
      name: "hello-world's Kubernetes tab lists its pods on at least two managed clusters",
      browser: true,
      async run(ctx) {
        const { clusters } = await topology(ctx);
        const page = ctx.page ?? (await signIn(ctx));
        await page.goto(
          `${ctx.url}/catalog/default/component/hello-world/kubernetes`,
        );
        const spokes = clusters.filter(c => !c.isHub).map(c => c.name);
        await eventually(
          async () => {
            let seen = 0;
            for (const name of spokes)
              if ((await page.getByText(name, { exact: true }).count()) > 0)
                seen++;
            return seen >= 2;
          },
          90000,
          'two managed clusters in the Kubernetes tab',
        );
        // Each cluster's summary counts its pods ("1 pod").
        await eventually(
          async () =>
            (await page.getByText(/^[1-9]\d* pods?$/).count()) >= 2 ||
            undefined,
          30000,
          'pods counted on two clusters',
        );
        await page.screenshot({
          path: path.join(ctx.shots, 'kubernetes-tab.png'),
        });
      },
    },
    {
      name: "a managed cluster's catalog page shows the Multicloud GitOps cluster card",
      browser: true,
      async run(ctx) {
        const { clusters } = await topology(ctx);
        const spoke = clusters.find(
          c =>
            !c.isHub && c.status === 'available' && c.group !== '(ungrouped)',
        );
        const page = ctx.page ?? (await signIn(ctx));
        await page.goto(
          `${ctx.url}/catalog/default/resource/${entityName(spoke.name)}`,
        );
        await page
          .getByText('About', { exact: true })
          .first()
          .waitFor({ timeout: 60000 });
        // Our card: the cluster's details and applications from the backend.
        await page
          .getByText(`Cluster ${spoke.name}`, { exact: true })
          .waitFor({ timeout: 60000 });
        await page
          .locator('[data-testid="drawer-app-hello-world"]:visible')
          .first()
          .waitFor({ timeout: 60000 });
        const errors = await page
          .getByText(/Error in catalog|App context is not available/)
          .count();
        assert.equal(errors, 0, 'a card on the cluster page failed to render');
        await page.screenshot({
          path: path.join(ctx.shots, 'cluster-page.png'),
        });
      },
    },
  ];
}

module.exports = { clusterTests };
