import http from 'http';
import https from 'https';
import type { AddressInfo, Socket } from 'net';
import { Counters } from './admin/counters';
import { Faults } from './admin/faults';
import { Tokens } from './admin/tokens';
import { HUB, OpenStream, ResolvedOptions, SimContext } from './context';
import { loadFixtures } from './fixtures/load';
import { generateFleet } from './fleet/generate';
import { Ticker } from './fleet/tick';
import { IMPORT_DELAY_MS, startImporter } from './fleet/importer';
import { startActionControllers } from './actions/controller';
import { DEFAULT_PATTERN_POLL_MS, PatternsOperator } from './patterns';
import { parseDuration } from './http/util';
import { selfSignedCert } from './http/tls';
import { findCrdDir } from './k8s/validation';
import { createHandler } from './server';
import { ARGOCD_VERSIONS, DEFAULT_ARGOCD_VERSION } from './argocd/projection';
import { Store } from './store/store';
import { Prng } from './util/prng';
import { DNS1123_LABEL } from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';

export interface SimulatorOptions {
  /** default 0 = any free port */
  port?: number;
  /** default 127.0.0.1 */
  host?: string;
  /** managed clusters besides the hub (default 6) */
  clusters?: number;
  /** cluster groups (default 2) */
  groups?: number;
  /** Argo CD applications per managed cluster, app-of-apps included (default 4) */
  appsPerCluster?: number;
  /** default 1 */
  seed?: number | string;
  /** default 'multicloud-gitops' */
  pattern?: string;
  /** how often the fleet changes, e.g. '5s' or a number of ms; default off */
  tick?: string | number;
  /** directory of `oc get -o yaml` dumps to load */
  fixtures?: string;
  /** the full-rights bearer token (default 'fleet-simulator-token') */
  token?: string;
  /** serve HTTPS with a self-signed certificate (its PEM is returned as caData) */
  tls?: boolean;
  /**
   * how often the patterns operator fetches the repos of Patterns created or changed through
   * the API, e.g. '10s' or a number of ms; 0 polls only on pollPatterns() (default 10s)
   */
  patternPoll?: string | number;
  /**
   * The hub's own name (a DNS-1123 label), to tell several hubs apart. Its ManagedCluster
   * stays `local-cluster`, as ACM names it; the name shows where ACM shows the hub's own
   * OpenShift cluster: the local-cluster's API and console URLs (`api.<hubName>.…`), its
   * `consoleurl` and `infrastructure.openshift.io` claims, the Pattern's status.clusterName
   * and the hub Argo CD's URL. Unset, those say `local-cluster`.
   */
  hubName?: string;
  logger?: (line: string) => void;
}

/** Options of startSimulators: the settings every hub shares, and the per-hub ones. */
export interface MultiSimulatorOptions
  extends Omit<SimulatorOptions, 'hubName'> {
  /** how many hubs, 1 to 10 (default 1) */
  hubs?: number;
  /** one name per hub (default `hub-1`, `hub-2`, ...) */
  hubNames?: string[];
  /**
   * one full-rights token per hub; by default hub 1 has `token` (`fleet-simulator-token`)
   * and hub i the same with `-<i>` appended
   */
  tokens?: string[];
}

/** Several independent hubs; stop() stops them all. */
export interface RunningSimulators {
  hubs: RunningSimulator[];
  stop(): Promise<void>;
}

export interface RunningSimulator {
  /** the hub's name when it was given one (always with startSimulators) */
  hubName?: string;
  /** base URL, no trailing slash */
  url: string;
  /** full-rights token (k8s, Search, Argo CD, admin API) */
  token: string;
  /** read-only token: reads work, writes get 403 */
  readOnlyToken: string;
  /** the hub's Argo CD instance */
  argocd: { url: string; username: string; password: string };
  /** base URL of a managed cluster's Argo CD instance */
  argocdUrl(cluster: string): string;
  /** full URL of the ACM Search GraphQL endpoint */
  searchUrl: string;
  /**
   * base URL of the cluster-proxy stand-in: `<clusterProxyUrl>/<managed cluster>/<kube-api
   * path>` with the hub token
   */
  clusterProxyUrl: string;
  /** PEM of the self-signed certificate when tls is on */
  caData?: string;
  /**
   * Fetch the repo of every Pattern the patterns operator manages now and apply what
   * changed; resolves when done (the auto-sync that follows runs on its own timers).
   */
  pollPatterns(): Promise<void>;
  stop(): Promise<void>;
}

export const DEFAULT_TOKEN = 'fleet-simulator-token';
export const ARGOCD_USERNAME = 'admin';
export const ARGOCD_PASSWORD = 'fleet-simulator';
export const MAX_HUBS = 10;

/** A bad option (the CLI exits with 2 for these, 1 for other start-up failures). */
export class OptionError extends Error {}

function intOption(
  name: string,
  v: unknown,
  def: number,
  min: number,
  max: number,
): number {
  if (v === undefined || v === null) return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new OptionError(`${name} must be an integer from ${min} to ${max}`);
  return n;
}

function argocdVersion(): string {
  // not a startSimulator option (that interface is fixed): an environment variable
  const v =
    process.env.FLEET_SIMULATOR_ARGOCD_VERSION ?? DEFAULT_ARGOCD_VERSION;
  if (!ARGOCD_VERSIONS[v])
    throw new OptionError(
      `FLEET_SIMULATOR_ARGOCD_VERSION must be one of ${Object.keys(
        ARGOCD_VERSIONS,
      ).join(', ')}`,
    );
  return v;
}

function durationOption(
  name: string,
  v: string | number | undefined,
): number | undefined {
  try {
    return parseDuration(v);
  } catch (e) {
    throw new OptionError(`${name}: ${(e as Error).message}`);
  }
}

/** The patterns operator's poll interval in ms (0: only when asked). */
export function patternPollOption(v: string | number | undefined): number {
  if (v === 0 || v === '0') return 0;
  const ms = durationOption('patternPoll', v) ?? DEFAULT_PATTERN_POLL_MS;
  if (!(ms >= 0))
    throw new OptionError('patternPoll must be a duration of 0 or more');
  return ms;
}

export function resolveOptions(o: SimulatorOptions): ResolvedOptions {
  const token = o.token ?? DEFAULT_TOKEN;
  if (!token) throw new OptionError('token must not be empty');
  const pattern = o.pattern ?? 'multicloud-gitops';
  if (!DNS1123_LABEL.test(pattern))
    throw new OptionError('pattern must be a DNS-1123 label');
  if (o.hubName !== undefined && !DNS1123_LABEL.test(o.hubName))
    throw new OptionError(
      `hub name "${o.hubName}" must be a DNS-1123 label (it is part of the hub's URLs)`,
    );
  // checked here so a bad value fails before any hub listens
  patternPollOption(o.patternPoll);
  return {
    port: intOption('port', o.port, 0, 0, 65535),
    host: o.host ?? '127.0.0.1',
    clusters: intOption('clusters', o.clusters, 6, 0, 5000),
    groups: intOption('groups', o.groups, 2, 1, 100),
    appsPerCluster: intOption('appsPerCluster', o.appsPerCluster, 4, 0, 200),
    seed: o.seed ?? 1,
    pattern,
    hubName: o.hubName,
    tickMs: durationOption('tick', o.tick),
    fixtures: o.fixtures,
    token,
    readOnlyToken: `${token}-read-only`,
    tls: !!o.tls,
    argocdUsername: ARGOCD_USERNAME,
    argocdPassword: ARGOCD_PASSWORD,
    argocdVersion: argocdVersion(),
    syncDurationMs: 1500,
    bookmarkIntervalMs: 5000,
    // an environment knob (the options interface is fixed); tests shorten it
    importDelayMs:
      Number(process.env.FLEET_SIMULATOR_IMPORT_DELAY_MS) > 0
        ? Number(process.env.FLEET_SIMULATOR_IMPORT_DELAY_MS)
        : IMPORT_DELAY_MS,
    crdDir: findCrdDir(),
    logger: o.logger ?? (() => undefined),
  };
}

/** Start a simulated ACM hub + ACM Search + Argo CD instances on one port. */
export async function startSimulator(
  options: SimulatorOptions = {},
): Promise<RunningSimulator> {
  const opts = resolveOptions(options);
  const patternPollMs = patternPollOption(options.patternPoll);
  const started = Date.now();
  const store = new Store();
  const timers = new Set<NodeJS.Timeout>();
  const streams = new Set<OpenStream>();
  const ctx: SimContext = {
    options: opts,
    store,
    tokens: new Tokens(opts.token, opts.readOnlyToken),
    counters: new Counters(),
    faults: new Faults(opts.seed),
    streams,
    runtimePrng: new Prng(`${opts.seed}:runtime`),
    timers,
    log: line => opts.logger(line),
    now: () => new Date().toISOString(),
    setTimer: (fn, ms) => {
      const t = setTimeout(() => {
        timers.delete(t);
        fn();
      }, ms);
      timers.add(t);
      return t;
    },
  };

  const populate = () => {
    const fixturesOnly = opts.fixtures && opts.clusters === 0;
    if (!fixturesOnly) {
      generateFleet(store, opts);
    }
    if (opts.fixtures) {
      const s = loadFixtures(store, opts.fixtures, opts.seed);
      ctx.log(
        `fixtures: ${s.objects} objects from ${s.files} files${
          s.clusters.length
            ? ` (managed clusters: ${s.clusters.join(', ')})`
            : ''
        }`,
      );
    }
    // the initial state has no event history: watches start from the current RV
    store.compact();
  };
  populate();
  if (!opts.crdDir)
    ctx.log(
      'warning: shared/reference/crds not found (set FLEET_SIMULATOR_CRDS): writes are not validated against the CRDs',
    );

  const ticker = new Ticker(ctx);
  // ManagedClusters created or accepted through the API join the hub after a moment
  const stopImporter = startImporter(ctx);
  // ManagedClusterActions and ManagedClusterViews are carried out on their cluster
  const stopActions = startActionControllers(ctx);
  // Patterns created or changed through the API are rendered from their repo into Argo CD
  const patterns = new PatternsOperator(ctx, patternPollMs);
  patterns.start();
  const hooks = {
    tick: () => ticker.tick(),
    reset: () => {
      ticker.clearPending();
      patterns.reset();
      for (const s of [...streams]) s.close();
      for (const t of timers) clearTimeout(t);
      timers.clear();
      store.clear();
      ctx.tokens.reset();
      ctx.faults.clear();
      ctx.counters.reset();
      ctx.runtimePrng = new Prng(`${opts.seed}:runtime`);
      populate();
      ctx.log('reset to the initial fleet');
    },
  };

  let caData: string | undefined;
  const handler = createHandler(ctx, hooks);
  let server: http.Server | https.Server;
  if (opts.tls) {
    const { cert, key } = selfSignedCert([opts.host]);
    caData = cert;
    server = https.createServer({ cert, key }, handler);
  } else {
    server = http.createServer(handler);
  }
  // watches and streams are long-lived: no request timeout, and keep sockets for stop()
  server.requestTimeout = 0;
  server.headersTimeout = 60000;
  server.keepAliveTimeout = 5000;
  const sockets = new Set<Socket>();
  server.on('connection', s => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('clientError', (_e, socket) => {
    if (socket.writable)
      socket.end(
        'HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n',
      );
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  let hostForUrl = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  // a wildcard listen address is not something a client can connect to
  if (opts.host === '0.0.0.0' || opts.host === '::') hostForUrl = 'localhost';
  const url = `${opts.tls ? 'https' : 'http'}://${hostForUrl}:${port}`;
  if (opts.tickMs) ticker.start(opts.tickMs);
  ctx.log(
    `fleet simulator ready at ${url} in ${Date.now() - started} ms: ${
      store.resourceVersion
    } objects written, ${opts.clusters} managed clusters, ${
      opts.groups
    } groups`,
  );

  let stopped = false;
  return {
    ...(opts.hubName ? { hubName: opts.hubName } : {}),
    url,
    token: opts.token,
    readOnlyToken: opts.readOnlyToken,
    argocd: {
      url: `${url}/argocd/${HUB}`,
      username: opts.argocdUsername,
      password: opts.argocdPassword,
    },
    argocdUrl: (cluster: string) =>
      `${url}/argocd/${encodeURIComponent(cluster)}`,
    searchUrl: `${url}/searchapi/graphql`,
    clusterProxyUrl: `${url}/cluster-proxy`,
    caData,
    pollPatterns: () => patterns.poll(),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      ticker.stop();
      stopImporter();
      stopActions();
      patterns.stop();
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const s of [...streams]) s.close();
      await new Promise<void>(resolve => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
  };
}

/**
 * Hub i's seed: hub 1 keeps the base seed, so its fleet is the one-hub fleet; the others
 * mix in their index, so each hub has a fleet of its own that repeats run after run.
 */
export function hubSeed(seed: number | string, index: number): number | string {
  return index === 1 ? seed : `${seed}:hub-${index}`;
}

/** Hub i's default full-rights token: `<token>` for hub 1, `<token>-<i>` for the others. */
export function hubToken(token: string, index: number): string {
  return index === 1 ? token : `${token}-${index}`;
}

/** The options of each hub, checked before any of them starts. */
export function resolveHubOptions(
  options: MultiSimulatorOptions,
): SimulatorOptions[] {
  const { hubs: hubsOption, hubNames, tokens, ...shared } = options;
  const hubs = intOption('hubs', hubsOption, 1, 1, MAX_HUBS);
  for (const [key, list] of [
    ['hubNames', hubNames],
    ['tokens', tokens],
  ] as const) {
    if (list !== undefined && list.length !== hubs)
      throw new OptionError(
        `${key} must have one entry per hub (${hubs}), got ${list.length}`,
      );
    if (list !== undefined && new Set(list).size !== list.length)
      throw new OptionError(`${key} must not repeat an entry`);
  }
  const port = intOption('port', shared.port, 0, 0, 65535);
  if (port && port + hubs - 1 > 65535)
    throw new OptionError(
      `port must leave room for ${hubs} consecutive ports (at most ${
        65536 - hubs
      })`,
    );
  const seed = shared.seed ?? 1;
  const token = shared.token ?? DEFAULT_TOKEN;
  const names =
    hubNames ?? Array.from({ length: hubs }, (_, i) => `hub-${i + 1}`);
  const hubTokens =
    tokens ?? Array.from({ length: hubs }, (_, i) => hubToken(token, i + 1));
  // the read-only tokens are derived, so a full-rights token may not be another's read-only one
  for (const t of hubTokens)
    if (hubTokens.includes(`${t}-read-only`))
      throw new OptionError(
        `tokens: "${t}-read-only" would be both a hub's token and another's read-only token`,
      );
  const logger = shared.logger;
  const perHub = Array.from({ length: hubs }, (_, i) => ({
    ...shared,
    port: port ? port + i : 0,
    seed: hubSeed(seed, i + 1),
    token: hubTokens[i],
    hubName: names[i],
    // several hubs share one log: each line says which hub it is about
    logger:
      logger && hubs > 1
        ? (line: string) => logger(`${names[i]}: ${line}`)
        : logger,
  }));
  // every hub's options are valid before the first one listens
  for (const o of perHub) resolveOptions(o);
  return perHub;
}

/**
 * Start several independent simulated hubs, each with its own port (consecutive from `port`
 * when one is given), store, tokens, ACM Search, Argo CD instances, seed and hub name. If one
 * fails to start, those already started are stopped and the error is thrown.
 */
export async function startSimulators(
  options: MultiSimulatorOptions = {},
): Promise<RunningSimulators> {
  const perHub = resolveHubOptions(options);
  const hubs: RunningSimulator[] = [];
  const stopAll = async () => {
    await Promise.all(hubs.map(h => h.stop()));
  };
  try {
    // one after the other: generating a fleet is CPU work, and a port clash names its hub
    for (const o of perHub) hubs.push(await startSimulator(o));
  } catch (e) {
    await stopAll();
    throw e;
  }
  return { hubs, stop: stopAll };
}
