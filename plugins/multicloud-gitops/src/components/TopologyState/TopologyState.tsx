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
    return (
      <Box>
        <ResponseErrorPanel error={live.error} />
        <Box mt={1}>
          <Button variant="outlined" onClick={live.retry}>
            Retry
          </Button>
        </Box>
      </Box>
    );
  }
  if (!live.value) return <FleetSkeleton variant={props.variant} />;
  return <>{props.children(live.value)}</>;
}
