/** @jsxImportSource react */
import Box from '@material-ui/core/Box';
import Skeleton from '@material-ui/lab/Skeleton';

/**
 * The shape of the fleet view while the first answer is on its way, so the layout does
 * not jump when it arrives. Announced as busy to assistive technology.
 */
export function FleetSkeleton(props: {
  rows?: number;
  variant?: 'view' | 'card';
}) {
  const rows = props.rows ?? 3;
  return (
    <Box
      aria-busy="true"
      aria-label="Loading fleet"
      role="status"
      data-testid="fleet-skeleton"
    >
      {props.variant !== 'card' && (
        <Box display="flex" style={{ gap: 16 }} mb={2}>
          {[240, 160, 160, 160, 160].map((w, i) => (
            <Skeleton key={i} variant="rect" width={w} height={40} />
          ))}
        </Box>
      )}
      <Skeleton variant="rect" height={72} />
      {Array.from({ length: rows }, (_, i) => (
        <Box key={i} mt={2} ml={props.variant === 'card' ? 0 : 4}>
          <Skeleton variant="text" width="40%" />
          <Skeleton
            variant="rect"
            height={props.variant === 'card' ? 24 : 104}
          />
        </Box>
      ))}
    </Box>
  );
}
