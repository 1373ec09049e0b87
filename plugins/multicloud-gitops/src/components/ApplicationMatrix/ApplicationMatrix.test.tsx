/** @jsxImportSource react */
import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import {
  CLUSTER_STATUSES,
  HEALTH_STATUSES,
  SYNC_STATUSES,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import {
  APPLICATIONS,
  CLUSTERS,
  buildTopology,
} from '../../__testUtils__/fleet';
import { EMPTY_FILTERS, applyFilters } from '../../lib/filters';
import {
  ClusterStatusLabel,
  HealthStatusLabel,
  SyncStatusLabel,
} from '../StatusLabel';
import { ApplicationMatrix } from './ApplicationMatrix';

/** What a reader sees of a status icon: its shape and its tone (the colour class). */
function look(svg: Element | null) {
  expect(svg).not.toBeNull();
  return {
    tone: svg!.getAttribute('data-tone'),
    toneClass: [...svg!.classList].find(c =>
      c.startsWith('MulticloudGitopsTone-'),
    ),
    shape: svg!.innerHTML,
  };
}

/**
 * The same for a matrix cell's icon, an image (see glyphImageRules): its shape is the
 * picture's drawing, and its colour the picture's fill.
 */
function lookOfImage(span: Element | undefined) {
  expect(span).toBeDefined();
  const image = getComputedStyle(span!).backgroundImage;
  const data = /^url\("data:image\/svg\+xml,(.*)"\)$/.exec(image);
  expect(data).not.toBeNull();
  const svg = new DOMParser().parseFromString(
    decodeURIComponent(data![1]),
    'image/svg+xml',
  ).documentElement;
  return {
    tone: span!.getAttribute('data-tone'),
    color: colorOf(svg.getAttribute('fill')!),
    shape: shapeOf(svg),
  };
}

/** An svg's drawing: each element with its attributes, however it was written. */
function shapeOf(svg: Element) {
  return [...svg.querySelectorAll('*')].map(e =>
    [
      e.localName,
      ...[...e.attributes]
        .filter(a => a.name !== 'xmlns')
        .map(a => `${a.name}=${a.value}`),
    ].join(' '),
  );
}

/** A CSS colour as the browser computes it. */
function colorOf(css: string) {
  const probe = document.createElement('span');
  probe.style.color = css;
  document.body.appendChild(probe);
  const color = getComputedStyle(probe).color;
  probe.remove();
  return color;
}

describe('ApplicationMatrix', () => {
  // One cluster per cluster status, and applications that between them have every sync
  // and every health status.
  const clusters = CLUSTER_STATUSES.map(status => ({
    ...CLUSTERS[1],
    name: `c-${status}`,
    status,
  }));
  const applications = HEALTH_STATUSES.map((health, i) => ({
    ...APPLICATIONS[0],
    name: `app-${i}`,
    cluster: 'c-available',
    sync: SYNC_STATUSES[i % SYNC_STATUSES.length],
    health,
  }));
  const topology = buildTopology(clusters, applications);

  it('draws every status with the same icon and tone as the status labels', async () => {
    await renderInTestApp(
      <>
        {SYNC_STATUSES.map(s => (
          <div key={s} data-testid={`sync-${s}`}>
            <SyncStatusLabel status={s} />
          </div>
        ))}
        {HEALTH_STATUSES.map(h => (
          <div key={h} data-testid={`health-${h}`}>
            <HealthStatusLabel status={h} />
          </div>
        ))}
        {CLUSTER_STATUSES.map(c => (
          <div key={c} data-testid={`cluster-${c}`}>
            <ClusterStatusLabel status={c} />
          </div>
        ))}
        <ApplicationMatrix
          topology={topology}
          fleet={applyFilters(topology, EMPTY_FILTERS)}
          onSelectCluster={jest.fn()}
        />
      </>,
    );
    const label = (id: string) =>
      look(screen.getByTestId(id).querySelector('svg'));

    for (const a of applications) {
      const cell = screen.getByRole('button', {
        name: new RegExp(`^${a.name} on c-available: `),
      });
      const [sync, health] = cell.querySelectorAll('[data-tone]');
      // Drawn as images, in the same shapes and colours as the labels' icons.
      const asImage = (id: string) => {
        const svg = screen.getByTestId(id).querySelector('svg')!;
        return {
          tone: svg.getAttribute('data-tone'),
          color: getComputedStyle(svg).color,
          shape: shapeOf(svg),
        };
      };
      expect(lookOfImage(sync)).toEqual(asImage(`sync-${a.sync}`));
      expect(lookOfImage(health)).toEqual(asImage(`health-${a.health}`));
    }
    const header = (name: string) =>
      screen.getByRole('button', {
        name: new RegExp(`^Cluster ${name} in group `),
      });
    // Only the exceptions are marked in the header.
    expect(header('c-available').querySelector('svg')).toBeNull();
    for (const status of CLUSTER_STATUSES.filter(s => s !== 'available')) {
      expect(look(header(`c-${status}`).querySelector('svg'))).toEqual(
        label(`cluster-${status}`),
      );
    }
    // The legend uses the same icons too.
    const legend = screen.getByLabelText('Legend');
    expect(
      look(within(legend).getByText('Progressing').querySelector('svg')),
    ).toEqual(label('health-Progressing'));

    // The tones Argo CD's and ACM's meanings call for: Progressing is work under way,
    // Suspended is paused on purpose, and an Unknown cluster may be down.
    expect(label('health-Progressing').tone).toBe('running');
    expect(label('health-Suspended').tone).toBe('aborted');
    expect(label('cluster-unknown').tone).toBe('warning');
  });
});
