/** @jsxImportSource react */
import {
  act,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FleetRequest } from '../../api';
import { buildLargeTopology, fleetAnswer } from '../../__testUtils__/fleet';
import { createFakeApi } from '../../__testUtils__/fakeApi';
import { holdFrames } from '../../__testUtils__/frames';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import {
  PATTERN_ENTITY,
  currentSearch,
  renderWithEntity,
} from '../../__testUtils__/render';
import { PagedFleet } from './PagedFleet';
import { CELLS_PER_FRAME } from './cellReveal';

// Whole-app renders with MUI are slow on a shared 2-core machine.
jest.setTimeout(30_000);

describe('PagedFleet', () => {
  it('moves through the matrix with the arrow keys, one tab stop, and opens a cell', async () => {
    const { api } = createFakeApi();
    await renderWithEntity(<PagedFleet />, { api, route: '/?view=matrix' });
    const first = await screen.findByRole('button', {
      name: /^config-demo on local-cluster: /,
    });
    const cells = screen
      .getAllByRole('button')
      .filter(b => b.hasAttribute('data-cell'));
    // Only one cell is in the tab order.
    expect(cells.filter(b => b.tabIndex === 0)).toEqual([first]);
    first.focus();
    await userEvent.keyboard('{ArrowRight}');
    // The next column is a cluster config-demo does not run on: still a stop, saying so.
    await waitFor(() =>
      expect(document.activeElement).toHaveAttribute('data-cell', '0:1'),
    );
    expect(document.activeElement?.getAttribute('aria-label')).toMatch(
      /^config-demo (on|is not deployed on) /,
    );
    await userEvent.keyboard('{ArrowDown}');
    await waitFor(() =>
      expect(document.activeElement).toHaveAttribute('data-cell', '1:1'),
    );
    await userEvent.keyboard('{End}');
    await waitFor(() =>
      expect(document.activeElement).toHaveAttribute('data-cell', '1:4'),
    );
    await userEvent.keyboard('{Enter}');
    await waitFor(() =>
      expect(currentSearch(screen).get('cluster')).toBeTruthy(),
    );
    expect(currentSearch(screen).get('clusterHub')).toBe('prod-hub');
  });

  it('keeps the rows on screen until the new filter has its answer, then shows only that', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>(r => {
      release = r;
    });
    const getFleet = jest.fn(async (r: FleetRequest) => {
      if (r.statuses?.length) await gate;
      return fleetAnswer(r);
    });
    const { api } = createFakeApi({ getFleet });
    await renderWithEntity(<PagedFleet />, { api });
    await screen.findByTestId('cluster-row-east-1');
    await userEvent.click(
      screen.getByRole('button', { name: /^Cluster status/ }),
    );
    await userEvent.click(screen.getByRole('option', { name: /Unavailable/ }));
    await waitFor(() =>
      expect(getFleet).toHaveBeenLastCalledWith(
        expect.objectContaining({ statuses: ['unavailable'] }),
        expect.anything(),
      ),
    );
    // While the new answer is on its way, the old rows stay: no empty frame, no "Loading".
    expect(screen.getByTestId('cluster-row-east-1')).toBeInTheDocument();
    expect(screen.queryByText('Loading…')).toBeNull();
    await act(async () => release());
    await waitFor(() =>
      expect(screen.queryByTestId('cluster-row-east-1')).toBeNull(),
    );
    expect(screen.getByTestId('cluster-row-west-1')).toBeInTheDocument();
  });

  it('redraws for a group click once its answer is here, and a second click before that keeps the first', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>(r => {
      release = r;
    });
    const getFleet = jest.fn(async (r: FleetRequest) => {
      if (r.groups?.length) await gate;
      return fleetAnswer(r);
    });
    const { api } = createFakeApi({ getFleet });
    await renderWithEntity(<PagedFleet />, { api });
    await screen.findByTestId('cluster-row-east-1');
    const groups = screen
      .getAllByTestId(/^group-/)
      .map(b => b.getAttribute('data-testid')!.slice('group-'.length));
    expect(groups.length).toBeGreaterThan(1);
    const [first, second] = groups;
    await userEvent.click(screen.getByTestId(`group-${first}`));
    // Asked at once; the page waits for the answer rather than redrawing twice.
    expect(getFleet).toHaveBeenLastCalledWith(
      expect.objectContaining({ groups: [first] }),
      expect.anything(),
    );
    expect(currentSearch(screen).getAll('group')).toEqual([]);
    await userEvent.click(screen.getByTestId(`group-${second}`));
    expect(getFleet).toHaveBeenLastCalledWith(
      expect.objectContaining({ groups: [first, second] }),
      expect.anything(),
    );
    await act(async () => release());
    await waitFor(() =>
      expect(currentSearch(screen).getAll('group')).toEqual([first, second]),
    );
    expect(
      screen.getByTestId(`group-${first}`).getAttribute('aria-pressed'),
    ).toBe('true');
  });

  it("draws a group's rows with the redraw for its click when the answer came first", async () => {
    const { api } = createFakeApi();
    await renderWithEntity(<PagedFleet />, { api });
    await screen.findByTestId('cluster-row-east-1');
    // From here no frame runs: what is drawn is drawn by the click's own redraw.
    const frames = holdFrames();
    try {
      await userEvent.click(screen.getByTestId('group-hub'));
      await waitFor(() =>
        expect(currentSearch(screen).getAll('group')).toEqual(['hub']),
      );
      expect(
        screen.getByTestId('cluster-row-local-cluster'),
      ).toBeInTheDocument();
      expect(screen.queryByTestId('cluster-row-east-1')).toBeNull();
    } finally {
      frames.restore();
    }
  });

  it('redraws for a click after a while when its answer is slow', async () => {
    const getFleet = jest.fn(async (r: FleetRequest) => {
      if (r.groups?.length) await new Promise(() => {});
      return fleetAnswer(r);
    });
    const { api } = createFakeApi({ getFleet });
    await renderWithEntity(<PagedFleet />, { api });
    await screen.findByTestId('cluster-row-east-1');
    const button = screen.getAllByTestId(/^group-/)[0];
    const group = button.getAttribute('data-testid')!.slice('group-'.length);
    await userEvent.click(button);
    // The button shows the click though the answer never comes; the old rows stay.
    await waitFor(() =>
      expect(currentSearch(screen).getAll('group')).toEqual([group]),
    );
    expect(screen.getByTestId('cluster-row-east-1')).toBeInTheDocument();
  });

  it('says when nothing matches, and what the backend refused', async () => {
    const getFleet = jest.fn(async (r: FleetRequest) => {
      if (r.text === 'boom')
        throw new Error('Invalid query: q: something the backend refused');
      return fleetAnswer(r);
    });
    const { api } = createFakeApi({ getFleet });
    await renderWithEntity(<PagedFleet />, {
      api,
      route: '/?q=nothing-like-it',
    });
    expect(
      await screen.findByText('No cluster matches the filters.'),
    ).toBeInTheDocument();
    await renderWithEntity(<PagedFleet />, { api, route: '/?q=boom' });
    expect(
      await screen.findByText(
        'Error: Invalid query: q: something the backend refused',
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Retry' })).toBeInTheDocument();
  });

  it('draws a screenful of a 10,000-cluster fleet from the first block only', async () => {
    const large = buildLargeTopology(10_000, 1);
    const getFleet = jest.fn(async (r: FleetRequest) =>
      fleetAnswer(r, [large]),
    );
    const { api } = createFakeApi({ getFleet });
    await renderWithEntity(<PagedFleet />, { api });
    await screen.findByTestId('cluster-row-cluster-0000');
    expect(getFleet.mock.calls.every(([r]) => r.offset === 0)).toBe(true);
    // Each answer carries one block of rows, whatever the fleet's size.
    const answer = await getFleet.mock.results[0].value;
    expect(answer.clusters.items).toHaveLength(100);
    expect(answer.clusters.total).toBe(10_000);
  });

  it('draws the cells of a block that arrives after a scroll a band of rows per frame, top first', async () => {
    const frames = holdFrames();
    try {
      const large = buildLargeTopology(300, 20);
      const answers: Promise<unknown>[] = [];
      const getFleet = jest.fn((r: FleetRequest) => {
        const answer = Promise.resolve(fleetAnswer(r, [large]));
        answers.push(answer);
        return answer;
      });
      const { api } = createFakeApi({ getFleet });
      await renderWithEntity(<PagedFleet />, { api, route: '/?view=matrix' });
      // Cells drawn so far, by the row and column each stands for.
      const drawn = () =>
        [...document.querySelectorAll('button[data-cell]')].map(b =>
          b.getAttribute('data-cell')!.split(':').map(Number),
        );
      // Answers, then the frame that draws them, until the first screen is there.
      for (let i = 0; i < 100 && drawn().length === 0; i++) {
        const asked = [...answers];
        await act(async () => {
          await Promise.all(asked);
          await new Promise(r => setTimeout(r, 10));
        });
        frames.next();
      }
      expect(drawn().length).toBeGreaterThan(0);

      // Scroll into the second block of clusters: its cells are placeholders until it comes.
      // The grid's scrolling element: its content is as wide as 300 columns.
      const body = [...document.querySelectorAll<HTMLElement>('div')].find(
        d =>
          d.style.overflow === 'auto' &&
          (d.firstElementChild as HTMLElement | null)?.style.width ===
            `${300 * 44}px`,
      );
      if (!body) throw new Error('no scrolling grid in the matrix');
      answers.length = 0;
      await act(async () => {
        // jsdom lays nothing out: the sizes react-window reads are given.
        Object.defineProperty(body, 'scrollWidth', { value: 300 * 44 });
        Object.defineProperty(body, 'clientWidth', { value: 980 });
        fireEvent.scroll(body, { target: { scrollLeft: 110 * 44 } });
      });
      // The cells waiting for the block, by the row and column their place stands for.
      const waiting = new Set(
        [...document.querySelectorAll<HTMLElement>('[aria-busy]')].map(
          d =>
            `${parseFloat(d.style.top) / 36}:${parseFloat(d.style.left) / 44}`,
        ),
      );
      expect(waiting.size).toBeGreaterThan(CELLS_PER_FRAME);
      const revealed = () =>
        drawn().filter(([row, col]) => waiting.has(`${row}:${col}`));
      await act(async () => {
        await Promise.all(answers);
      });
      const counts: number[] = [];
      const firstRows: number[] = [];
      for (let frame = 0; frame < 20; frame++) {
        frames.next();
        const now = revealed();
        if (now.length > (counts[counts.length - 1] ?? 0)) {
          counts.push(now.length);
          firstRows.push(Math.max(...now.map(([row]) => row)));
        }
      }
      // Every waiting cell was drawn, over several frames, none with more than a band.
      expect(counts[counts.length - 1]).toBe(waiting.size);
      expect(counts.length).toBe(Math.ceil(waiting.size / CELLS_PER_FRAME));
      counts.forEach((n, i) =>
        expect(n - (counts[i - 1] ?? 0)).toBeLessThanOrEqual(CELLS_PER_FRAME),
      );
      // Top rows first: each band reaches further down.
      expect([...firstRows].sort((a, b) => a - b)).toEqual(firstRows);
    } finally {
      frames.restore();
    }
  });

  it("offers Sync in a deep-linked drawer once the catalog has the pattern's System, though it had not at first", async () => {
    const { api } = createFakeApi();
    const catalogApi = catalogApiMock({ entities: [PATTERN_ENTITY] });
    const real = catalogApi.getEntities.bind(catalogApi);
    let asked = 0;
    catalogApi.getEntities = (async (...args: Parameters<typeof real>) =>
      // The catalog has not ingested the System yet when the page first asks.
      ++asked === 1 ? { items: [] } : real(...args)) as typeof real;
    await renderWithEntity(<PagedFleet />, {
      api,
      catalogApi,
      route: '/?hub=prod-hub&cluster=east-1',
    });
    const drawer = await screen.findByRole('dialog', {
      name: 'Cluster east-1',
    });
    await screen.findByTestId('drawer-app-hello-world');
    expect(
      await within(drawer).findByRole(
        'button',
        { name: 'Sync hello-world on east-1' },
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
    expect(asked).toBeGreaterThan(1);
  });
});
