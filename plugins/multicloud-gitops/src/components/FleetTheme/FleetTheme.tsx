/** @jsxImportSource react */
import { ReactNode } from 'react';
import { Theme, ThemeProvider } from '@material-ui/core/styles';

/**
 * The Backstage light theme's secondary text (#717171) on its page background (#f5f5f5)
 * is 4.47:1, just under the 4.5:1 WCAG AA minimum, and our views use secondary text for
 * timestamps, versions, filter labels and captions. Inside our views, light themes get a
 * darker grey (#616161, 5.6:1 on that background); dark themes are left as they are.
 */
function withReadableSecondaryText(outer: Theme): Theme {
  if (outer.palette.type !== 'light') return outer;
  return {
    ...outer,
    palette: {
      ...outer.palette,
      text: { ...outer.palette.text, secondary: outer.palette.grey[700] },
    },
  };
}

export function FleetTheme(props: { children: ReactNode }) {
  return (
    <ThemeProvider theme={withReadableSecondaryText}>
      {props.children}
    </ThemeProvider>
  );
}
