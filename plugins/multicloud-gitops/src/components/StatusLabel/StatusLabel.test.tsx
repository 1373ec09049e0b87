/** @jsxImportSource react */
import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import {
  CLUSTER_STATUSES,
  HEALTH_STATUSES,
  SYNC_STATUSES,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import {
  ClusterStatusLabel,
  HealthStatusLabel,
  SyncStatusLabel,
} from './StatusLabel';

describe('status labels', () => {
  it('pair every status with an icon and a readable word', async () => {
    await renderInTestApp(
      <>
        {CLUSTER_STATUSES.map(s => (
          <ClusterStatusLabel key={s} status={s} />
        ))}
        {SYNC_STATUSES.map(s => (
          <SyncStatusLabel key={s} status={s} />
        ))}
        {HEALTH_STATUSES.map(s => (
          <HealthStatusLabel key={s} status={s} suffix=" 2" />
        ))}
      </>,
    );
    for (const word of [
      'Available',
      'Unavailable',
      'Unknown',
      'Pending import',
      'Synced',
      'Out of sync',
      'Sync unknown',
    ]) {
      // The word is outside the aria-hidden Backstage status element, so it is announced.
      const el = screen.getByText(word);
      expect(el.closest('[aria-hidden="true"]')).toBeNull();
    }
    expect(screen.getByText('Degraded 2')).toBeInTheDocument();
    expect(screen.getByText('Health unknown 2')).toBeInTheDocument();
    // One icon per label.
    expect(document.querySelectorAll('svg').length).toBe(
      CLUSTER_STATUSES.length + SYNC_STATUSES.length + HEALTH_STATUSES.length,
    );
  });
});
