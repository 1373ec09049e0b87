import {
  ApplicationActionResponse,
  FleetResponse,
  TopologyChangedEvent,
  TopologyResponse,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import {
  ApplicationRef,
  ChangeStreamState,
  FleetRequest,
  RevisionSpreadRequest,
  RollbackRequest,
  MulticloudGitopsApi,
  RequestOptions,
  TopologyRequest,
  TopologyChangeListener,
} from '../api';
import { HUBS, TOPOLOGY, clusterDetails, fleetAnswer } from './fleet';
import { diffAnswer, historyAnswer, spreadAnswer } from './history';

/** A MulticloudGitopsApi backed by fixtures, whose push channel the test drives. */
export function createFakeApi(overrides: Partial<MulticloudGitopsApi> = {}) {
  const listeners = new Set<TopologyChangeListener>();
  const newest = new Map<string, TopologyChangedEvent>();
  let state: ChangeStreamState = 'live';
  const mocks = {
    getHubs: jest.fn(async () => HUBS),
    getTopology: jest.fn(
      async (
        _request: TopologyRequest,
        _options?: RequestOptions,
      ): Promise<TopologyResponse> => TOPOLOGY,
    ),
    getEntityTopology: jest.fn(
      async (
        _entityRef: string,
        _options?: RequestOptions,
      ): Promise<TopologyResponse> => TOPOLOGY,
    ),
    getFleet: jest.fn(
      async (
        request: FleetRequest,
        _options?: RequestOptions,
      ): Promise<FleetResponse> => fleetAnswer(request),
    ),
    getClusterDetails: jest.fn(async (_hub: string, cluster: string) =>
      clusterDetails(cluster),
    ),
    syncApplication: jest.fn(
      async (r): Promise<ApplicationActionResponse> => ({
        hub: r.hub,
        instance: r.instance,
        application: r.name,
        action: 'sync',
        sync: 'OutOfSync',
        health: 'Degraded',
        operationPhase: 'Running',
        message: 'Sync operation started',
      }),
    ),
    refreshApplication: jest.fn(
      async (r): Promise<ApplicationActionResponse> => ({
        hub: r.hub,
        instance: r.instance,
        application: r.name,
        action: 'refresh',
        sync: 'Synced',
        health: 'Degraded',
        message: 'Refresh requested',
      }),
    ),
    getRevisionSpread: jest.fn(
      async (r: RevisionSpreadRequest, _options?: RequestOptions) =>
        spreadAnswer(r),
    ),
    getApplicationHistory: jest.fn(
      async (app: ApplicationRef, _options?: RequestOptions) =>
        historyAnswer(app),
    ),
    getApplicationDiff: jest.fn(
      async (app: ApplicationRef, _options?: RequestOptions) => diffAnswer(app),
    ),
    rollbackApplication: jest.fn(
      async (r: RollbackRequest): Promise<ApplicationActionResponse> => ({
        hub: r.hub,
        application: r.name,
        action: 'rollback',
        sync: 'Synced',
        health: 'Healthy',
        operationPhase: 'Running',
        message: `Rollback of ${r.name} to history entry ${r.id} started`,
      }),
    ),
    subscribe: jest.fn((listener: TopologyChangeListener) => {
      listeners.add(listener);
      listener.onStateChange?.(state);
      // As the client's stream does: a live stream replays each hub's newest event.
      if (state === 'live') newest.forEach(e => listener.onEvent(e));
      return () => listeners.delete(listener);
    }),
  } satisfies MulticloudGitopsApi;
  // Overrides replace mocks; typed as the mocks so tests can use mockResolvedValueOnce etc.
  const api = Object.assign(mocks, overrides) as typeof mocks;
  return {
    api,
    emit(event: Omit<TopologyChangedEvent, 'type'>) {
      const full: TopologyChangedEvent = { type: 'topology-changed', ...event };
      newest.set(full.hub, full);
      for (const l of listeners) l.onEvent(full);
    },
    setState(next: ChangeStreamState) {
      state = next;
      for (const l of listeners) l.onStateChange?.(next);
    },
    listenerCount: () => listeners.size,
  };
}
