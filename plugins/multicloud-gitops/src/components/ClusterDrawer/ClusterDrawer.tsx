/** @jsxImportSource react */
// Over 400 lines on purpose: each section of the drawer (conditions, nodes, policies,
// applications, links) is short and renders one part of the same details answer.
import { ReactNode, useEffect, useState } from 'react';
import { Link, Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Drawer from '@material-ui/core/Drawer';
import IconButton from '@material-ui/core/IconButton';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import CloseIcon from '@material-ui/icons/Close';
import {
  applicationKey,
  ApplicationDetails,
  ApplicationSummary,
  ClusterDetails,
  ClusterSummary,
  compareApplicationsWorstFirst,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import { multicloudGitopsApiRef } from '../../api';
import { useThrottledValue } from '../../hooks/useThrottledValue';
import { ApplicationActions } from '../ApplicationActions';
import {
  ClusterStatusLabel,
  HealthStatusLabel,
  StatusText,
  SyncStatusLabel,
} from '../StatusLabel';

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
  section: { marginBottom: theme.spacing(3) },
  facts: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.5),
    fontSize: '0.875rem',
  },
  links: {
    display: 'flex',
    gap: theme.spacing(2),
    flexWrap: 'wrap',
    marginTop: theme.spacing(1),
  },
  focused: { background: theme.palette.action.selected },
}));

function Section(props: { title: string; children: ReactNode }) {
  const classes = useStyles();
  return (
    <section className={classes.section} aria-label={props.title}>
      <Typography variant="h6" component="h3" gutterBottom>
        {props.title}
      </Typography>
      {props.children}
    </section>
  );
}

function ConditionStatus(props: { status: string; type: string }) {
  // For most ManagedCluster conditions True is good; the few "...Degraded"-style ones invert.
  const bad = /Degraded|Failed|Stopped|Pressure/.test(props.type);
  if (props.status === 'True')
    return bad ? (
      <StatusText tone="error">True</StatusText>
    ) : (
      <StatusText tone="ok">True</StatusText>
    );
  if (props.status === 'False')
    return bad ? (
      <StatusText tone="ok">False</StatusText>
    ) : (
      <StatusText tone="error">False</StatusText>
    );
  return <StatusText tone="warning">{props.status}</StatusText>;
}

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
  onClose(): void;
}

/** Where an application's manifests come from: its path, or chart, in the repository. */
function sourceOf(a?: ApplicationDetails): string | undefined {
  if (!a) return undefined;
  if (a.path) return a.path;
  if (!a.chart) return undefined;
  return a.chartVersion
    ? `chart ${a.chart} ${a.chartVersion}`
    : `chart ${a.chart}`;
}

/** Details of one managed cluster: conditions, versions, nodes, policies, applications, links. */
export function ClusterDrawer(props: ClusterDrawerProps) {
  const classes = useStyles();
  const api = useApi(multicloudGitopsApiRef);
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
  const applications = [
    ...(props.applications ?? shown?.applications ?? []),
  ].sort(compareApplicationsWorstFirst);
  // Topology answers list applications without source and destination (they stay small
  // on a large fleet); the details call has them.
  const detailOf = new Map(
    shown?.applications.map(a => [applicationKey(a), a]),
  );

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
          {summary && (
            <Box
              display="flex"
              style={{ gap: 16 }}
              alignItems="baseline"
              flexWrap="wrap"
            >
              <ClusterStatusLabel status={summary.status} />
              <Typography variant="body2" color="textSecondary">
                Group {summary.group}
                {summary.isHub ? ' · hub cluster' : ''}
                {summary.clusterSet
                  ? ` · cluster set ${summary.clusterSet}`
                  : ''}
              </Typography>
            </Box>
          )}
          {summary?.statusReason && (
            <Typography variant="body2" color="textSecondary">
              {summary.statusReason}
            </Typography>
          )}
          {shown && shown.links.length > 0 && (
            <nav className={classes.links} aria-label="Open in">
              {shown.links.map(l => (
                <Link key={l.url} to={l.url}>
                  {l.title}
                </Link>
              ))}
            </nav>
          )}
        </div>
        <IconButton aria-label="Close cluster details" onClick={props.onClose}>
          <CloseIcon />
        </IconButton>
      </div>
      <div className={classes.body}>
        {error && !shown && <ResponseErrorPanel error={error} />}
        {!error && !shown && <Progress aria-label="Loading cluster details" />}
        {summary && (
          <Section title="Versions">
            <div className={classes.facts}>
              <span>OpenShift</span>
              <span>{summary.openshiftVersion ?? 'unknown'}</span>
              <span>Kubernetes</span>
              <span>{summary.kubernetesVersion ?? 'unknown'}</span>
              <span>Available upgrade</span>
              <span>
                {shown?.availableUpgrades.length
                  ? shown.availableUpgrades.join(', ')
                  : summary.availableUpgrade ?? 'none reported'}
              </span>
              <span>Platform</span>
              <span>
                {[summary.vendor, summary.cloud, summary.region]
                  .filter(Boolean)
                  .join(' · ') || 'unknown'}
              </span>
            </div>
          </Section>
        )}
        <Section title={`Applications (${applications.length})`}>
          {applications.length === 0 ? (
            <Typography variant="body2" color="textSecondary">
              No application of this pattern runs on this cluster.
            </Typography>
          ) : (
            <Table size="small" aria-label={`Applications on ${cluster}`}>
              <TableHead>
                <TableRow>
                  <TableCell>Application</TableCell>
                  <TableCell>Sync</TableCell>
                  <TableCell>Health</TableCell>
                  <TableCell>Revision</TableCell>
                  {props.entityRef && <TableCell>Actions</TableCell>}
                </TableRow>
              </TableHead>
              <TableBody>
                {applications.map(a => {
                  const key = applicationKey(a);
                  const source = sourceOf(detailOf.get(key));
                  return (
                    <TableRow
                      key={key}
                      className={
                        a.name === props.focusApplication
                          ? classes.focused
                          : undefined
                      }
                      data-testid={`drawer-app-${a.name}`}
                    >
                      <TableCell>
                        {a.argocdUrl ? (
                          <Link to={a.argocdUrl}>{a.name}</Link>
                        ) : (
                          a.name
                        )}
                        {a.appOfApps ? ' (app of apps)' : ''}
                        <Typography
                          variant="caption"
                          display="block"
                          color="textSecondary"
                        >
                          {a.namespace}
                          {a.instance
                            ? ` · Argo CD ${a.instance}`
                            : ' · found through Search only'}
                        </Typography>
                      </TableCell>
                      <TableCell>
                        <SyncStatusLabel status={a.sync} />
                      </TableCell>
                      <TableCell>
                        <HealthStatusLabel status={a.health} />
                        {/* A Succeeded last operation is the normal case; only others say something. */}
                        {a.operationPhase &&
                          a.operationPhase !== 'Succeeded' && (
                            <Typography
                              variant="caption"
                              display="block"
                              color="textSecondary"
                            >
                              Operation {a.operationPhase}
                            </Typography>
                          )}
                      </TableCell>
                      <TableCell>
                        <span title={a.revision}>
                          {a.revision ? a.revision.slice(0, 7) : '—'}
                        </span>
                        {a.targetRevision && (
                          <Typography
                            variant="caption"
                            display="block"
                            color="textSecondary"
                          >
                            target {a.targetRevision}
                          </Typography>
                        )}
                        {source && (
                          <Typography
                            variant="caption"
                            display="block"
                            color="textSecondary"
                            title={detailOf.get(key)?.repoURL}
                          >
                            from {source}
                          </Typography>
                        )}
                      </TableCell>
                      {props.entityRef && (
                        <TableCell>
                          <ApplicationActions
                            application={a}
                            hub={hub}
                            entityRef={props.entityRef}
                          />
                        </TableCell>
                      )}
                    </TableRow>
                  );
                })}
              </TableBody>
            </Table>
          )}
        </Section>
        {shown && (
          <>
            <Section title="Conditions">
              <Table size="small" aria-label="Cluster conditions">
                <TableHead>
                  <TableRow>
                    <TableCell>Type</TableCell>
                    <TableCell>Status</TableCell>
                    <TableCell>Reason</TableCell>
                    <TableCell>Since</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {shown.conditions.map(c => (
                    <TableRow key={c.type}>
                      <TableCell>{c.type}</TableCell>
                      <TableCell>
                        <ConditionStatus status={c.status} type={c.type} />
                      </TableCell>
                      <TableCell>
                        {c.reason}
                        {c.message && (
                          <Typography
                            variant="caption"
                            display="block"
                            color="textSecondary"
                          >
                            {c.message}
                          </Typography>
                        )}
                      </TableCell>
                      <TableCell>
                        {c.lastTransitionTime
                          ? new Date(c.lastTransitionTime).toLocaleString()
                          : '—'}
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
              {shown.taints.length > 0 && (
                <Typography variant="body2">
                  Taints:{' '}
                  {shown.taints
                    .map(
                      t =>
                        `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`,
                    )
                    .join(', ')}
                </Typography>
              )}
            </Section>
            <Section title={`Nodes (${shown.nodes.length})`}>
              <Table size="small" aria-label="Nodes">
                <TableHead>
                  <TableRow>
                    <TableCell>Name</TableCell>
                    <TableCell>Roles</TableCell>
                    <TableCell>Ready</TableCell>
                    <TableCell>CPU</TableCell>
                    <TableCell>Memory</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {shown.nodes.map(n => (
                    <TableRow key={n.name}>
                      <TableCell>{n.name}</TableCell>
                      <TableCell>{n.roles.join(', ')}</TableCell>
                      <TableCell>
                        {n.ready ? (
                          <StatusText tone="ok">Ready</StatusText>
                        ) : (
                          <StatusText tone="error">Not ready</StatusText>
                        )}
                      </TableCell>
                      <TableCell>{n.cpu ?? '—'}</TableCell>
                      <TableCell>{n.memory ?? '—'}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </Section>
            <Section title={`Policies (${shown.policies.length})`}>
              <Table size="small" aria-label="Policies">
                <TableHead>
                  <TableRow>
                    <TableCell>Policy</TableCell>
                    <TableCell>Compliance</TableCell>
                    <TableCell>Remediation</TableCell>
                    <TableCell>Severity</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {shown.policies.map(p => (
                    <TableRow key={`${p.namespace}/${p.name}`}>
                      <TableCell>{p.name}</TableCell>
                      <TableCell>
                        {p.compliance === 'Compliant' && (
                          <StatusText tone="ok">Compliant</StatusText>
                        )}
                        {p.compliance === 'NonCompliant' && (
                          <StatusText tone="error">Non-compliant</StatusText>
                        )}
                        {p.compliance === 'Pending' && (
                          <StatusText tone="pending">Pending</StatusText>
                        )}
                        {p.compliance === 'Unknown' && (
                          <StatusText tone="warning">Unknown</StatusText>
                        )}
                      </TableCell>
                      <TableCell>{p.remediationAction ?? '—'}</TableCell>
                      <TableCell>{p.severity ?? '—'}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </Section>
          </>
        )}
      </div>
    </Drawer>
  );
}
