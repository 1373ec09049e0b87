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
import {
  CLUSTER_STATUS,
  HEALTH_STATUS,
  StatusGlyph,
  StatusIcon,
  StatusStyle,
  SYNC_STATUS,
  ToneClasses,
  useToneClasses,
} from './statusStyle';

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

  it('draws the same icon, in the same tone, as a bare svg for views with hundreds of them', async () => {
    const styles: StatusStyle[] = [
      ...Object.values<StatusStyle>(CLUSTER_STATUS),
      ...Object.values<StatusStyle>(SYNC_STATUS),
      ...Object.values<StatusStyle>(HEALTH_STATUS),
    ];
    const Both = () => {
      const tones: ToneClasses = useToneClasses();
      return (
        <>
          {styles.map((s, i) => (
            <span key={i} data-testid={`pair-${i}`}>
              <StatusIcon status={s} tones={tones} />
              <StatusGlyph status={s} tones={tones} />
            </span>
          ))}
        </>
      );
    };
    await renderInTestApp(<Both />);
    for (let i = 0; i < styles.length; i++) {
      const [icon, glyph] = screen
        .getByTestId(`pair-${i}`)
        .querySelectorAll('svg');
      expect(glyph.innerHTML).not.toBe('');
      expect(glyph.innerHTML).toBe(icon.innerHTML);
      expect(glyph.getAttribute('viewBox')).toBe(icon.getAttribute('viewBox'));
      expect(glyph.getAttribute('data-tone')).toBe(styles[i].tone);
      expect(glyph.getAttribute('aria-hidden')).toBe('true');
      // No MUI component behind it: none of SvgIcon's classes.
      expect(glyph.getAttribute('class')).not.toMatch(/MuiSvgIcon/);
    }
  });
});
