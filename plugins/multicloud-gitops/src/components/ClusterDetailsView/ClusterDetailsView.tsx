/** @jsxImportSource react */
// Over 400 lines on purpose: each section (versions, applications, conditions, nodes,
// policies) is short and renders one part of the same details answer.
import { ReactNode } from 'react';
import { Link } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  applicationKey,
  ApplicationDetails,
  ApplicationSummary,
  ClusterDetails,
  ClusterSummary,
  compareApplicationsWorstFirst,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import { ApplicationActions } from '../ApplicationActions';
import {
  ClusterStatusLabel,
  HealthStatusLabel,
  StatusText,
  SyncStatusLabel,
} from '../StatusLabel';

const useStyles = makeStyles(theme => ({
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

/** Where an application's manifests come from: its path, or chart, in the repository. */
function sourceOf(a?: ApplicationDetails): string | undefined {
  if (!a) return undefined;
  if (a.path) return a.path;
  if (!a.chart) return undefined;
  return a.chartVersion
    ? `chart ${a.chart} ${a.chartVersion}`
    : `chart ${a.chart}`;
}

export interface ClusterHeadlineProps {
  summary?: ClusterSummary;
  /** Console links of the details answer (OpenShift, ACM, Argo CD). */
  links?: ClusterDetails['links'];
  /** The cluster's catalog page, when the catalog has its entity. */
  catalogUrl?: string;
}

/** Status with its reason, group, and where to open the cluster. */
export function ClusterHeadline(props: ClusterHeadlineProps) {
  const classes = useStyles();
  const { summary, catalogUrl } = props;
  const links = props.links ?? [];
  return (
    <>
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
            {summary.clusterSet ? ` · cluster set ${summary.clusterSet}` : ''}
          </Typography>
        </Box>
      )}
      {summary?.statusReason && (
        <Typography variant="body2" color="textSecondary">
          {summary.statusReason}
        </Typography>
      )}
      {(links.length > 0 || catalogUrl) && (
        <nav className={classes.links} aria-label="Open in">
          {catalogUrl && <Link to={catalogUrl}>Catalog page</Link>}
          {links.map(l => (
            <Link key={l.url} to={l.url}>
              {l.title}
            </Link>
          ))}
        </nav>
      )}
    </>
  );
}

export interface ClusterDetailsSectionsProps {
  hub: string;
  cluster: string;
  /** The cluster's summary: from the details answer, or the live topology before it arrives. */
  summary?: ClusterSummary;
  /** The details answer; conditions, nodes and policies appear once it is there. */
  details?: ClusterDetails;
  /** A fresher application list (the live topology's); defaults to the details' list. */
  applications?: ApplicationSummary[];
  /** Enables Sync/Refresh, checked against this entity. */
  entityRef?: string;
  /** Application to highlight. */
  focusApplication?: string;
}

/** Versions and platform, applications, conditions, nodes and policies of one cluster. */
export function ClusterDetailsSections(props: ClusterDetailsSectionsProps) {
  const classes = useStyles();
  const { hub, cluster, summary, details: shown } = props;
  const applications = [
    ...(props.applications ?? shown?.applications ?? []),
  ].sort(compareApplicationsWorstFirst);
  // Topology answers list applications without source and destination (they stay small
  // on a large fleet); the details call has them.
  const detailOf = new Map(
    shown?.applications.map(a => [applicationKey(a), a]),
  );

  return (
    <>
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
                      {/* Why Argo CD cannot compare it, e.g. values that do not render */}
                      {detailOf.get(key)?.comparisonError && (
                        <Typography
                          variant="caption"
                          display="block"
                          color="error"
                          data-testid="comparison-error"
                          style={{ overflowWrap: 'anywhere' }}
                        >
                          {detailOf.get(key)!.comparisonError}
                        </Typography>
                      )}
                    </TableCell>
                    <TableCell>
                      <HealthStatusLabel status={a.health} />
                      {/* A Succeeded last operation is the normal case; only others say something. */}
                      {a.operationPhase && a.operationPhase !== 'Succeeded' && (
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
                          hubActions={shown?.hubActions}
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
                    t => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`,
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
    </>
  );
}
