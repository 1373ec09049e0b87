/** @jsxImportSource react */
import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { SOURCES_OK, SOURCE_ERROR } from '../../__testUtils__/fleet';
import { SourceBanners } from './SourceBanners';

describe('SourceBanners', () => {
  it('renders nothing when every source is ok', async () => {
    await renderInTestApp(<SourceBanners sources={SOURCES_OK} />);
    expect(
      screen.queryByRole('region', { name: 'Data source problems' }),
    ).not.toBeInTheDocument();
  });

  it('shows one banner per degraded source with since, why and impact', async () => {
    await renderInTestApp(
      <SourceBanners
        sources={[
          SOURCES_OK[0],
          SOURCE_ERROR,
          {
            name: 'search',
            kind: 'search',
            state: 'stale',
            since: '2026-11-25T09:50:00.000Z',
            message: 'Search answered 503; serving the last good answer.',
            skipped: 2,
          },
        ]}
      />,
    );
    const region = screen.getByRole('region', { name: 'Data source problems' });
    const alerts = within(region).getAllByRole('alert');
    expect(alerts).toHaveLength(2);
    expect(
      within(alerts[0]).getByText(
        /^Error: Argo CD \(argocd\/hub\) is failing since/,
      ),
    ).toBeInTheDocument();
    expect(
      within(alerts[0]).getByText(/Sync and health of the applications/),
    ).toBeInTheDocument();
    expect(
      within(alerts[1]).getByText(/^Warning: ACM Search is stale since/),
    ).toBeInTheDocument();
    expect(
      within(alerts[1]).getByText(/Search answered 503/),
    ).toBeInTheDocument();
    expect(
      within(alerts[1]).getByText(
        /never\. 2 malformed object\(s\) were skipped\./,
      ),
    ).toBeInTheDocument();
  });
});
