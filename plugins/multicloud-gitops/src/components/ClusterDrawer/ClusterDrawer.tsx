/** @jsxImportSource react */
import { useEffect, useState } from 'react';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Drawer from '@material-ui/core/Drawer';
import IconButton from '@material-ui/core/IconButton';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import CloseIcon from '@material-ui/icons/Close';
import {
  ApplicationSummary,
  ClusterDetails,
  ClusterSummary,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import { multicloudGitopsApiRef } from '../../api';
import { useClusterEntityLink } from '../../hooks/useCatalogClusters';
import { useThrottledValue } from '../../hooks/useThrottledValue';
import { ApplicationPanel } from '../ApplicationHistory';
import { ClusterDetailsSections, ClusterHeadline } from '../ClusterDetailsView';

const DETAILS_REFRESH_MS = 10_000;

const useStyles = makeStyles(theme => ({
  paper: { width: 880, maxWidth: '100vw' },
  header: {
    display: 'flex',
    alignItems: 'flex-start',
    justifyContent: 'space-between',
    padding: theme.spacing(2, 3),
    borderBottom: `1px solid ${theme.palette.divider}`,
  },
  body: { padding: theme.spacing(2, 3), overflowY: 'auto' },
}));

export interface ClusterDrawerProps {
  hub: string;
  /** Cluster to show; the drawer is closed when undefined. */
  cluster?: string;
  /** The cluster's entry in the live topology, shown before details arrive. */
  summary?: ClusterSummary;
  /** The cluster's applications from the live topology (fresher than the details call). */
  applications?: ApplicationSummary[];
  /** Topology version; a change reloads the details so an open drawer stays current. */
  version?: number;
  /** Enables Sync/Refresh, checked against this entity. */
  entityRef?: string;
  /** Application to highlight (opened from a matrix cell). */
  focusApplication?: string;
  /** The hub's clusters that have a catalog entity (see useCatalogClusters); they get a link. */
  catalogClusters?: ReadonlySet<string>;
  onClose(): void;
}

/** Details of one managed cluster: conditions, versions, nodes, policies, applications, links. */
export function ClusterDrawer(props: ClusterDrawerProps) {
  const classes = useStyles();
  const api = useApi(multicloudGitopsApiRef);
  const entityLink = useClusterEntityLink();
  const { hub, cluster } = props;
  // Conditions, nodes and policies change slowly; the live application list comes from
  // the topology. Reloading details on every fleet version would cost a request per
  // second on a busy fleet, so follow the version at most every 10 s.
  const version = useThrottledValue(props.version, DETAILS_REFRESH_MS);
  const [details, setDetails] = useState<ClusterDetails>();
  const [error, setError] = useState<Error>();

  useEffect(() => {
    if (!cluster) {
      setDetails(undefined);
      setError(undefined);
      return undefined;
    }
    const controller = new AbortController();
    api
      .getClusterDetails(hub, cluster, { signal: controller.signal })
      .then(d => {
        if (controller.signal.aborted) return;
        setDetails(d);
        setError(undefined);
      })
      .catch(e => {
        if (!controller.signal.aborted) setError(e);
      });
    return () => controller.abort();
  }, [api, hub, cluster, version]);

  const shown =
    details && details.cluster.name === cluster ? details : undefined;
  const summary = shown?.cluster ?? props.summary;
  const catalogUrl =
    cluster && props.catalogClusters?.has(cluster)
      ? entityLink(hub, cluster)
      : undefined;

  return (
    <Drawer
      anchor="right"
      open={!!cluster}
      onClose={props.onClose}
      classes={{ paper: classes.paper }}
      // A temporary drawer is a modal dialog; MUI leaves the role to us.
      PaperProps={{
        role: 'dialog',
        'aria-modal': true,
        'aria-labelledby': 'mcg-drawer-title',
      }}
    >
      <div className={classes.header}>
        <div>
          <Typography variant="h5" component="h2" id="mcg-drawer-title">
            Cluster {cluster}
          </Typography>
          <ClusterHeadline
            summary={summary}
            links={shown?.links}
            catalogUrl={catalogUrl}
          />
        </div>
        <IconButton aria-label="Close cluster details" onClick={props.onClose}>
          <CloseIcon />
        </IconButton>
      </div>
      <div className={classes.body}>
        {error && !shown && <ResponseErrorPanel error={error} />}
        {!error && !shown && <Progress aria-label="Loading cluster details" />}
        {cluster && (
          <ClusterDetailsSections
            hub={hub}
            cluster={cluster}
            summary={summary}
            details={shown}
            applications={props.applications}
            entityRef={props.entityRef}
            focusApplication={props.focusApplication}
          />
        )}
        {cluster && (props.applications ?? shown?.applications)?.length ? (
          <ApplicationPanel
            hub={hub}
            cluster={cluster}
            applications={props.applications ?? shown!.applications}
            focusApplication={props.focusApplication}
            entityRef={props.entityRef}
            version={props.version}
          />
        ) : null}
      </div>
    </Drawer>
  );
}
