/** @jsxImportSource react */
import { useEffect, useMemo, useRef, useState } from 'react';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import FormControl from '@material-ui/core/FormControl';
import InputAdornment from '@material-ui/core/InputAdornment';
import InputLabel from '@material-ui/core/InputLabel';
import ListItemText from '@material-ui/core/ListItemText';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import TextField from '@material-ui/core/TextField';
import { makeStyles } from '@material-ui/core/styles';
import SearchIcon from '@material-ui/icons/Search';
import {
  CLUSTER_STATUSES,
  HEALTH_STATUSES,
  SYNC_STATUSES,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import { EMPTY_FILTERS, FleetFilters, isFiltered } from '../../lib/filters';
import {
  clusterStatusText,
  healthStatusText,
  syncStatusText,
} from '../StatusLabel';

/** Typing pauses shorter than this do not re-filter the fleet. */
export const TEXT_DEBOUNCE_MS = 250;

const useStyles = makeStyles(theme => ({
  root: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'flex-end',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
  },
  select: { minWidth: 160, maxWidth: 260 },
  text: { minWidth: 240 },
  summary: {
    color: theme.palette.text.secondary,
    fontSize: '0.875rem',
    paddingBottom: theme.spacing(0.5),
  },
}));

function MultiSelect<T extends string>(props: {
  label: string;
  options: readonly T[];
  value: T[];
  display?: (v: T) => string;
  onChange: (next: T[]) => void;
}) {
  const classes = useStyles();
  const labelId = `mcg-filter-${props.label
    .toLowerCase()
    .replace(/\W+/g, '-')}`;
  const display = props.display ?? ((v: T) => v);
  return (
    <FormControl className={classes.select} size="small">
      <InputLabel id={labelId} shrink>
        {props.label}
      </InputLabel>
      <Select
        // No labelId: MUI would point aria-labelledby at the label alone, hiding the
        // current value from the accessible name that aria-label below provides.
        multiple
        value={props.value}
        onChange={e => props.onChange(e.target.value as T[])}
        renderValue={selected =>
          (selected as T[]).length
            ? (selected as T[]).map(display).join(', ')
            : 'All'
        }
        displayEmpty
        // The accessible name of the select's button is its label followed by its value.
        SelectDisplayProps={{
          'aria-label': `${props.label}: ${
            props.value.length ? props.value.map(display).join(', ') : 'all'
          }`,
        }}
      >
        {props.options.map(o => (
          <MenuItem key={o} value={o}>
            <Checkbox
              size="small"
              checked={props.value.includes(o)}
              inputProps={{ 'aria-hidden': true }}
            />
            <ListItemText primary={display(o)} />
          </MenuItem>
        ))}
      </Select>
    </FormControl>
  );
}

export interface FilterBarProps {
  groups: string[];
  filters: FleetFilters;
  onChange(next: FleetFilters): void;
  /** Shown next to the controls and announced to screen readers as it changes. */
  summary?: string;
}

/** Group, cluster status, sync, health and free-text filters shared by all views. */
export function FilterBar(props: FilterBarProps) {
  const classes = useStyles();
  const { filters, onChange } = props;
  const [text, setText] = useState(filters.text);
  const latest = useRef(filters);
  latest.current = filters;

  // The text this bar last sent: the filters coming back with it are not an outside change.
  const sent = useRef(filters.text);

  // Follow outside changes (clear button, back navigation) without clobbering typing: the
  // filters catch up with a sent text after the user may have typed on.
  useEffect(() => {
    if (filters.text !== sent.current) {
      sent.current = filters.text;
      setText(filters.text);
    }
  }, [filters.text]);

  useEffect(() => {
    if (text === sent.current) return undefined;
    const t = setTimeout(() => {
      sent.current = text;
      onChange({ ...latest.current, text });
    }, TEXT_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [text, onChange]);

  // The controls redraw when the filters or the text change, not when only the summary
  // does: the first frame of a new filter (its answer's summary) leaves the five menus be.
  const controls = useMemo(
    () => (
      <>
        <TextField
          className={classes.text}
          id="mcg-fleet-search"
          label="Search clusters and applications"
          value={text}
          onChange={e => setText(e.target.value)}
          size="small"
          InputProps={{
            startAdornment: (
              <InputAdornment position="start">
                <SearchIcon fontSize="small" />
              </InputAdornment>
            ),
          }}
        />
        <MultiSelect
          label="Group"
          options={props.groups}
          value={filters.groups}
          onChange={groups => onChange({ ...filters, groups })}
        />
        <MultiSelect
          label="Cluster status"
          options={CLUSTER_STATUSES}
          value={filters.statuses}
          display={clusterStatusText}
          onChange={statuses => onChange({ ...filters, statuses })}
        />
        <MultiSelect
          label="Sync"
          options={SYNC_STATUSES}
          value={filters.syncs}
          display={syncStatusText}
          onChange={syncs => onChange({ ...filters, syncs })}
        />
        <MultiSelect
          label="Health"
          options={HEALTH_STATUSES}
          value={filters.healths}
          display={healthStatusText}
          onChange={healths => onChange({ ...filters, healths })}
        />
        {/* Always there, disabled with nothing to clear: mounting it with the first filter
          would insert its style sheet into the page then, restyling the whole page in the
          frame that shows the filter (and shifting the row). */}
        <Button
          size="small"
          disabled={!isFiltered(filters)}
          onClick={() => onChange(EMPTY_FILTERS)}
        >
          Clear filters
        </Button>
      </>
    ),
    [classes, filters, onChange, props.groups, text],
  );

  return (
    // Plain elements with static classes, not Box: the bar redraws on every filter, and each
    // Box redraw recomputes its own style sheet.
    <div className={classes.root} role="search" aria-label="Filter the fleet">
      {controls}
      {props.summary && (
        <div aria-live="polite" className={classes.summary}>
          {props.summary}
        </div>
      )}
    </div>
  );
}
