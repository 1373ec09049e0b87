/** @jsxImportSource react */
import { ReactNode, useCallback, useMemo } from 'react';
import { InfoCard, Link } from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  entityRouteParams,
  entityRouteRef,
  useEntity,
} from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  applicationKey,
  CLUSTER_STATUSES,
  TopologyResponse,
  clusterStatusSeverity,
  compareApplicationsWorstFirst,
  isApplicationProblem,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import { multicloudGitopsApiRef } from '../../api';
import { useLiveTopology } from '../../hooks/useLiveTopology';
import { isMulticloudGitopsAvailable } from '../../lib/isMulticloudGitopsAvailable';
import { formatAge } from '../../lib/time';
import { MissingAnnotation } from '../MissingAnnotation';
import { sourceTitle } from '../SourceBanners';
import {
  ClusterStatusLabel,
  HealthStatusLabel,
  SourceStateLabel,
  SyncStatusLabel,
} from '../StatusLabel';
import { TopologyState } from '../TopologyState';
import { FleetTheme } from '../FleetTheme';
import { ApplicationCounts } from '../TopologyView';

/** How many problems the card lists before pointing to the tab. */
const MAX_PROBLEMS = 5;

const useStyles = makeStyles(theme => ({
  row: {
    display: 'flex',
    flexWrap: 'wrap',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.5),
    alignItems: 'baseline',
    marginBottom: theme.spacing(1.5),
    fontSize: '0.875rem',
  },
  label: { fontWeight: 600, minWidth: 96 },
  problem: {
    paddingLeft: 0,
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'baseline',
    columnGap: theme.spacing(1.5),
  },
}));

/**
 * Link builder into the entity's Fleet tab. The entity route is bound in both frontend
 * systems; should an app not bind it, a relative link still resolves from the overview.
 */
function useTabLink(entity: Entity, tabPath: string) {
  let base: string | undefined;
  try {
    const route = useRouteRef(entityRouteRef);
    base = route?.(entityRouteParams(entity));
  } catch {
    base = undefined;
  }
  return useCallback(
    (query: Record<string, string> = {}) => {
      const qs = new URLSearchParams(query).toString();
      const path = base ? `${base.replace(/\/$/, '')}/${tabPath}` : tabPath;
      return qs ? `${path}?${qs}` : path;
    },
    [base, tabPath],
  );
}

interface Problem {
  key: string;
  /** Status labels (icon and word), outside the link so the link text stays short. */
  status: ReactNode;
  text: string;
  to: string;
}

function CardBody(props: {
  topology: TopologyResponse;
  link: (q?: Record<string, string>) => string;
}) {
  const classes = useStyles();
  const { topology: t, link } = props;

  const problems = useMemo(() => {
    const out: Problem[] = [];
    const clusters = t.clusters
      .filter(c => c.status !== 'available')
      .sort(
        (a, b) =>
          clusterStatusSeverity(a.status) - clusterStatusSeverity(b.status) ||
          a.name.localeCompare(b.name),
      );
    for (const c of clusters) {
      out.push({
        key: `cluster:${c.name}`,
        to: link({ cluster: c.name }),
        status: <ClusterStatusLabel status={c.status} />,
        text: `cluster ${c.name}`,
      });
    }
    const apps = t.applications
      .filter(isApplicationProblem)
      .sort(compareApplicationsWorstFirst);
    for (const a of apps) {
      out.push({
        key: `app:${applicationKey(a)}`,
        to: link({ cluster: a.cluster }),
        status: (
          <>
            <HealthStatusLabel status={a.health} />
            <SyncStatusLabel status={a.sync} />
          </>
        ),
        text: `${a.name} on ${a.cluster}`,
      });
    }
    return out;
  }, [t, link]);

  return (
    <Box>
      <div className={classes.row} aria-label="Data sources">
        <span className={classes.label}>Sources</span>
        {t.sources.map(s => (
          <span key={s.name} title={s.message}>
            {sourceTitle(s)}:{' '}
            <SourceStateLabel
              state={s.state}
              suffix={s.state === 'ok' ? '' : ` since ${formatAge(s.since)}`}
            />
          </span>
        ))}
      </div>
      <div className={classes.row} aria-label="Clusters by status">
        <span className={classes.label}>{t.clusterRollup.total} clusters</span>
        {CLUSTER_STATUSES.filter(s => t.clusterRollup.status[s] > 0).map(s => (
          <ClusterStatusLabel
            key={s}
            status={s}
            suffix={` ${t.clusterRollup.status[s]}`}
          />
        ))}
      </div>
      <div className={classes.row} aria-label="Applications by sync and health">
        <span className={classes.label}>Applications</span>
        <ApplicationCounts rollup={t.applicationRollup} />
      </div>
      <Typography variant="subtitle2" component="h3">
        {problems.length === 0
          ? 'No problems: every cluster is available and every application Synced and Healthy.'
          : `Needs attention (${problems.length})`}
      </Typography>
      {problems.length > 0 && (
        <List dense aria-label="Problems, worst first">
          {problems.slice(0, MAX_PROBLEMS).map(p => (
            <ListItem key={p.key} className={classes.problem}>
              {p.status}
              <Link to={p.to}>{p.text}</Link>
            </ListItem>
          ))}
          {problems.length > MAX_PROBLEMS && (
            <ListItem className={classes.problem}>
              <Link to={link()}>
                and {problems.length - MAX_PROBLEMS} more in the Fleet tab
              </Link>
            </ListItem>
          )}
        </List>
      )}
    </Box>
  );
}

function LiveCard(props: { entity: Entity; tabPath: string }) {
  const api = useApi(multicloudGitopsApiRef);
  const entityRef = stringifyEntityRef(props.entity);
  const load = useCallback(
    (signal: AbortSignal) => api.getEntityTopology(entityRef, { signal }),
    [api, entityRef],
  );
  const live = useLiveTopology(load, entityRef);
  const link = useTabLink(props.entity, props.tabPath);
  const t = live.value;
  return (
    <InfoCard
      title="Fleet"
      subheader={
        t
          ? `Hub ${t.hub.title} · pattern ${t.pattern}${
              t.scope?.group ? ` · group ${t.scope.group}` : ''
            }`
          : undefined
      }
      deepLink={t ? { title: 'Open the Fleet tab', link: link() } : undefined}
    >
      <TopologyState live={live} variant="card">
        {topology => <CardBody topology={topology} link={link} />}
      </TopologyState>
    </InfoCard>
  );
}

/** @public */
export interface EntityMulticloudGitopsCardProps {
  /** Path of the Fleet tab under the entity page; `multicloud-gitops` unless you mounted it elsewhere. */
  tabPath?: string;
}

/**
 * Overview card: hub, source health, clusters by status, applications by sync and health,
 * and the worst problems first, each linking into the Fleet tab.
 * @public
 */
export function EntityMulticloudGitopsCard(
  props: EntityMulticloudGitopsCardProps,
) {
  const { entity } = useEntity();
  return (
    <FleetTheme>
      {isMulticloudGitopsAvailable(entity) ? (
        <LiveCard
          entity={entity}
          tabPath={props.tabPath ?? 'multicloud-gitops'}
        />
      ) : (
        <InfoCard title="Fleet">
          <MissingAnnotation />
        </InfoCard>
      )}
    </FleetTheme>
  );
}
