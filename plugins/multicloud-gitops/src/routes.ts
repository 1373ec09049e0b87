import { createRouteRef } from '@backstage/core-plugin-api';

/** Mount point of the fleet page in the legacy frontend system. @public */
export const rootRouteRef = createRouteRef({ id: 'multicloud-gitops' });
