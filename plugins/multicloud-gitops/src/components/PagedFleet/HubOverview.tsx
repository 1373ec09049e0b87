/** @jsxImportSource react */
import { memo } from 'react';
import ButtonBase from '@material-ui/core/ButtonBase';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  FleetGroupSummary,
  FleetHubSummary,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import { sourceTitle } from '../SourceBanners';
import { SourceStateLabel, StatusText } from '../StatusLabel';
import { formatCount } from '../../lib/format';

// Static classes, not Box, throughout: a group click redraws the overview, and each Box
// redraw recomputes its own style sheet.
const useStyles = makeStyles(theme => ({
  hubs: {
    display: 'grid',
    gap: theme.spacing(1.5),
    marginBottom: theme.spacing(2),
  },
  hub: { padding: theme.spacing(1.5) },
  hubLine: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'baseline',
    gap: 16,
  },
  counts: { display: 'flex', gap: 8 },
  groups: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    marginTop: theme.spacing(1),
  },
  group: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'flex-start',
    textAlign: 'left',
    padding: theme.spacing(1, 1.5),
    borderRadius: theme.shape.borderRadius,
    border: `1px solid ${theme.palette.divider}`,
    minWidth: 180,
    '&:focus-visible': { outline: `2px solid ${theme.palette.primary.main}` },
  },
  selected: {
    borderColor: theme.palette.primary.main,
    boxShadow: `inset 0 0 0 1px ${theme.palette.primary.main}`,
  },
}));

const n = formatCount;

/**
 * A group's counts as a toggle. Redrawn only when its counts or its state change: a click
 * on one group redraws two buttons, not every hub's.
 */
const GroupButton = memo(
  GroupButtonInner,
  (a, b) =>
    a.selected === b.selected &&
    a.onToggleGroup === b.onToggleGroup &&
    (a.group === b.group ||
      JSON.stringify(a.group) === JSON.stringify(b.group)),
);

function GroupButtonInner(props: {
  group: FleetGroupSummary;
  selected: boolean;
  onToggleGroup(group: string): void;
}) {
  const classes = useStyles();
  const { group, selected } = props;
  const down =
    group.clusterRollup.status.unavailable + group.clusterRollup.status.unknown;
  const problems = group.applicationRollup.problems;
  return (
    <ButtonBase
      className={`${classes.group} ${selected ? classes.selected : ''}`}
      onClick={() => props.onToggleGroup(group.name)}
      aria-pressed={selected}
      data-testid={`group-${group.name}`}
      aria-label={`Group ${group.name}: ${n(
        group.clusterRollup.total,
      )} clusters, ${n(down)} not available, ${n(
        problems,
      )} applications with problems. ${
        selected
          ? 'Shown alone; select to show all groups'
          : 'Select to show only this group'
      }`}
    >
      <Typography variant="subtitle2">{group.name}</Typography>
      <Typography variant="caption" color="textSecondary">
        {n(group.clusterRollup.total)} clusters ·{' '}
        {n(group.applicationRollup.total)} apps
      </Typography>
      <div className={classes.counts}>
        {down > 0 && <StatusText tone="error">{`${n(down)} down`}</StatusText>}
        {problems > 0 && (
          <StatusText tone="warning">{`${n(problems)} problems`}</StatusText>
        )}
        {down === 0 && problems === 0 && (
          <StatusText tone="ok">All well</StatusText>
        )}
      </div>
    </ButtonBase>
  );
}

export interface HubOverviewProps {
  hubs: FleetHubSummary[];
  /** Groups the view is narrowed to (by name, across hubs). */
  selectedGroups: string[];
  onToggleGroup(group: string): void;
}

/** The same hubs as far as the overview shows them: versions and sources. */
function sameHubs(a: FleetHubSummary[], b: FleetHubSummary[]) {
  return (
    a.length === b.length &&
    a.every(
      (h, i) =>
        h.storeId === b[i].storeId &&
        h.version === b[i].version &&
        JSON.stringify(h.sources) === JSON.stringify(b[i].sources),
    )
  );
}

/**
 * The map of the fleet: each hub with its pattern, sources and cluster groups as counts.
 * A group narrows the pages below to it; the clusters themselves are listed page by page.
 * Every answer a page of clusters or matrix cells brings carries the hubs again; the
 * overview redraws only when they changed.
 */
export const HubOverview = memo(
  HubOverviewInner,
  (a, b) =>
    a.selectedGroups === b.selectedGroups &&
    a.onToggleGroup === b.onToggleGroup &&
    sameHubs(a.hubs, b.hubs),
);

function HubOverviewInner(props: HubOverviewProps) {
  const classes = useStyles();
  return (
    <div className={classes.hubs}>
      {props.hubs.map(h => (
        <Paper
          key={h.hub.id}
          variant="outlined"
          component="section"
          aria-label={`Hub ${h.hub.title}`}
        >
          <div className={classes.hub}>
            <div className={classes.hubLine}>
              <Typography variant="subtitle1" component="h2">
                {h.hub.title}
              </Typography>
              <Typography variant="body2" color="textSecondary">
                {h.pattern ? `Pattern ${h.pattern}` : 'No pattern detected yet'}{' '}
                · {n(h.clusterRollup.total)} clusters ·{' '}
                {n(h.applicationRollup.total)} applications
              </Typography>
              {h.sources.map(s => (
                <Typography
                  key={s.name}
                  variant="body2"
                  component="span"
                  title={s.message}
                >
                  {sourceTitle(s)}: <SourceStateLabel state={s.state} />
                </Typography>
              ))}
            </div>
            <div className={classes.groups}>
              {h.groups.map(g => (
                <GroupButton
                  key={g.name}
                  group={g}
                  selected={props.selectedGroups.includes(g.name)}
                  onToggleGroup={props.onToggleGroup}
                />
              ))}
            </div>
          </div>
        </Paper>
      ))}
    </div>
  );
}
