/** @jsxImportSource react */
import { ReactNode, useCallback, useMemo } from 'react';
import { InfoCard, Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
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
  FleetResponse,
  compareApplicationsWorstFirst,
  isApplicationProblem,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import { useFleetWindows } from '../../hooks/useFleetWindows';
import { describeError } from '../../lib/errors';
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
import { ErrorWithRetry } from '../TopologyState';
import { FleetSkeleton } from '../FleetSkeleton';
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

/** The card reads one block: the worst clusters first, with their applications. */
const CARD_BLOCKS = [{ cluster: 0, names: 0 }];

/**
 * The Pattern CR on each hub as its operator reports it, and the commit its app of apps last
 * synced: whether what the System's repository says is what runs, and why not.
 */
function PatternRows(props: { fleet: FleetResponse }) {
  const classes = useStyles();
  const hubs = props.fleet.hubs.filter(h => h.hub.patternStatus);
  return (
    <>
      {hubs.map(h => {
        const p = h.hub.patternStatus!;
        const app = p.appOfApps;
        const reason =
          p.lastError ??
          (app && app.sync !== 'Synced'
            ? p.conditions.find(c => c.message && c.status === 'True')?.message
            : undefined);
        return (
          <div key={h.hub.id}>
            <div
              className={classes.row}
              aria-label={`Pattern ${p.name}${
                hubs.length > 1 ? ` on ${h.hub.title}` : ''
              }`}
            >
              <span className={classes.label}>
                Pattern{hubs.length > 1 ? ` (${h.hub.title})` : ''}
              </span>
              {app ? (
                <>
                  <SyncStatusLabel status={app.sync} />
                  <HealthStatusLabel status={app.health} />
                  {app.revision && (
                    <span title={app.revision}>
                      at <code>{app.revision.slice(0, 7)}</code>
                    </span>
                  )}
                </>
              ) : (
                <span>not deployed yet</span>
              )}
              {p.conditions.map(c => (
                <span key={c.type} title={c.message}>
                  {c.type}: {c.status}
                </span>
              ))}
            </div>
            {reason && (
              <Typography
                variant="body2"
                color="textSecondary"
                aria-label="Why the pattern is not in sync"
              >
                {reason}
              </Typography>
            )}
          </div>
        );
      })}
    </>
  );
}

function CardBody(props: {
  fleet: FleetResponse;
  link: (q?: Record<string, string>) => string;
  showPattern: boolean;
}) {
  const classes = useStyles();
  const { fleet: f, link } = props;
  const { clusterRollup, applicationRollup } = f.matched;
  const sources = f.hubs.flatMap(h =>
    h.sources.map(s => ({
      ...s,
      title:
        f.hubs.length > 1 ? `${h.hub.title} ${sourceTitle(s)}` : sourceTitle(s),
    })),
  );

  // The block holds the clusters worst first (status, then problems) with their
  // applications: its problems are the worst of the entity's, which is all the card lists.
  const problems = useMemo(() => {
    const out: Problem[] = [];
    for (const c of f.clusters.items.filter(x => x.status !== 'available')) {
      out.push({
        key: `cluster:${c.hub}/${c.name}`,
        to: link({ cluster: c.name, clusterHub: c.hub }),
        status: <ClusterStatusLabel status={c.status} />,
        text: `cluster ${c.name}`,
      });
    }
    const apps = f.applications
      .filter(isApplicationProblem)
      .sort(compareApplicationsWorstFirst);
    for (const a of apps.slice(0, MAX_PROBLEMS)) {
      out.push({
        key: `app:${a.hub}/${applicationKey(a)}`,
        to: link({ cluster: a.cluster, clusterHub: a.hub }),
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
  }, [f, link]);
  const problemCount =
    clusterRollup.total -
    clusterRollup.status.available +
    applicationRollup.problems;

  return (
    <Box>
      <div className={classes.row} aria-label="Data sources">
        <span className={classes.label}>Sources</span>
        {sources.map(s => (
          <span key={s.title} title={s.message}>
            {s.title}:{' '}
            <SourceStateLabel
              state={s.state}
              suffix={s.state === 'ok' ? '' : ` since ${formatAge(s.since)}`}
            />
          </span>
        ))}
      </div>
      {props.showPattern && <PatternRows fleet={f} />}
      <div className={classes.row} aria-label="Clusters by status">
        <span className={classes.label}>{clusterRollup.total} clusters</span>
        {CLUSTER_STATUSES.filter(s => clusterRollup.status[s] > 0).map(s => (
          <ClusterStatusLabel
            key={s}
            status={s}
            suffix={` ${clusterRollup.status[s]}`}
          />
        ))}
      </div>
      <div className={classes.row} aria-label="Applications by sync and health">
        <span className={classes.label}>Applications</span>
        <ApplicationCounts rollup={applicationRollup} />
      </div>
      <Typography variant="subtitle2" component="h3">
        {problemCount === 0
          ? 'No problems: every cluster is available and every application Synced and Healthy.'
          : `Needs attention (${problemCount})`}
      </Typography>
      {problemCount > 0 && (
        <List dense aria-label="Problems, worst first">
          {problems.slice(0, MAX_PROBLEMS).map(p => (
            <ListItem key={p.key} className={classes.problem}>
              {p.status}
              <Link to={p.to}>{p.text}</Link>
            </ListItem>
          ))}
          {problemCount > MAX_PROBLEMS && (
            <ListItem className={classes.problem}>
              <Link to={link()}>
                and {problemCount - Math.min(MAX_PROBLEMS, problems.length)}{' '}
                more in the Fleet tab
              </Link>
            </ListItem>
          )}
        </List>
      )}
    </Box>
  );
}

function LiveCard(props: { entity: Entity; tabPath: string }) {
  const entityRef = stringifyEntityRef(props.entity);
  // The same paged answer as the Fleet tab's, so the card costs one small request
  // whatever the size of the entity's fleet, and follows the same push events.
  const request = useMemo(
    () => ({ entityRef, sort: 'status' as const }),
    [entityRef],
  );
  const windows = useFleetWindows(request, entityRef, CARD_BLOCKS[0]);
  const link = useTabLink(props.entity, props.tabPath);
  const f = windows.block(CARD_BLOCKS[0]);
  const scopeGroup = f?.scope?.group;
  let body: ReactNode;
  if (windows.error) {
    const { name, message } = describeError(windows.error);
    body =
      name === 'InputError' ? (
        <MissingAnnotation reason={message} />
      ) : (
        <ErrorWithRetry error={windows.error} retry={windows.retry} />
      );
  } else if (!f) {
    body = <FleetSkeleton variant="card" />;
  } else {
    body = (
      <CardBody
        fleet={f}
        link={link}
        // The Pattern is the System's: a Component's card stays about its applications.
        showPattern={props.entity.kind.toLowerCase() === 'system'}
      />
    );
  }
  return (
    <InfoCard
      title="Fleet"
      subheader={
        f
          ? `Hub ${f.hubs.map(h => h.hub.title).join(', ')} · pattern ${[
              ...new Set(f.hubs.map(h => h.pattern)),
            ].join(', ')}${scopeGroup ? ` · group ${scopeGroup}` : ''}`
          : undefined
      }
      deepLink={f ? { title: 'Open the Fleet tab', link: link() } : undefined}
    >
      {body}
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
