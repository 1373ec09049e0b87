/** @jsxImportSource react */
import { ReactNode } from 'react';
import { ResponseErrorPanel } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import { TopologyResponse } from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import { LiveTopology } from '../../hooks/useLiveTopology';
import { describeError } from '../../lib/errors';
import { FleetSkeleton } from '../FleetSkeleton';
import { MissingAnnotation } from '../MissingAnnotation';

/** A failed load: the error as the backend said it, and a way to try again. */
export function ErrorWithRetry(props: { error: Error; retry: () => void }) {
  return (
    <Box>
      <ResponseErrorPanel error={props.error} />
      <Box mt={1}>
        <Button variant="outlined" onClick={props.retry}>
          Retry
        </Button>
      </Box>
    </Box>
  );
}

/**
 * Loading, error and "not linked" states shared by the card, the tab and the page, so
 * each of them only renders a topology it actually has.
 */
export function TopologyState(props: {
  live: LiveTopology;
  variant?: 'view' | 'card';
  children: (topology: TopologyResponse) => ReactNode;
}) {
  const { live } = props;
  if (live.error) {
    const { name, message } = describeError(live.error);
    // The backend answers 400 InputError when the entity's annotations are unusable, with
    // a message naming the annotation to add: that is guidance, not a failure.
    if (name === 'InputError') return <MissingAnnotation reason={message} />;
    return <ErrorWithRetry error={live.error} retry={live.retry} />;
  }
  if (!live.value) return <FleetSkeleton variant={props.variant} />;
  return <>{props.children(live.value)}</>;
}
