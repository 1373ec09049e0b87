/** @jsxImportSource react */
/*
 * How each status looks: one icon, one tone and one word per status. The status labels
 * (card, drawer, topology) and the application matrix both draw from these tables, so a
 * status looks the same wherever it is shown.
 *
 * Icons differ by shape per status and severity, so the views read without colour
 * vision; the word is always present as text or in an accessible name. The matrix shows
 * sync and health side by side without words, which is why Healthy (heart) and Synced
 * (tick) have different shapes.
 */
import {
  Children,
  ComponentType,
  Fragment,
  isValidElement,
  ReactNode,
} from 'react';
import { SvgIconProps } from '@material-ui/core/SvgIcon';
import { makeStyles, Theme } from '@material-ui/core/styles';
import type { CSSProperties } from '@material-ui/core/styles/withStyles';
import CancelIcon from '@material-ui/icons/Cancel';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import ErrorIcon from '@material-ui/icons/Error';
import FavoriteIcon from '@material-ui/icons/Favorite';
import HelpOutlineIcon from '@material-ui/icons/HelpOutline';
import HourglassEmptyIcon from '@material-ui/icons/HourglassEmpty';
import PauseCircleFilledIcon from '@material-ui/icons/PauseCircleFilled';
import RemoveCircleOutlineIcon from '@material-ui/icons/RemoveCircleOutline';
import ReportProblemIcon from '@material-ui/icons/ReportProblem';
import ScheduleIcon from '@material-ui/icons/Schedule';
import SyncProblemIcon from '@material-ui/icons/SyncProblem';
import {
  ClusterStatus,
  HealthStatus,
  SourceState,
  SyncStatus,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';

/** The keys of Backstage's `palette.status`. */
export type Tone =
  | 'ok'
  | 'warning'
  | 'error'
  | 'pending'
  | 'running'
  | 'aborted';

export interface StatusStyle {
  Icon: ComponentType<SvgIconProps>;
  tone: Tone;
  text: string;
}

/** The icon of a tone, for states that have no table of their own (conditions, policies). */
export const TONE_ICON: Record<Tone, ComponentType<SvgIconProps>> = {
  ok: CheckCircleIcon,
  warning: ReportProblemIcon,
  error: ErrorIcon,
  pending: ScheduleIcon,
  running: HourglassEmptyIcon,
  aborted: HelpOutlineIcon,
};

// Unknown means the hub lost the klusterlet's lease: the cluster may be down, so it is a
// warning (the roll-ups rank it just below unavailable), not a neutral "no data".
export const CLUSTER_STATUS: Record<ClusterStatus, StatusStyle> = {
  available: { Icon: CheckCircleIcon, tone: 'ok', text: 'Available' },
  unavailable: { Icon: CancelIcon, tone: 'error', text: 'Unavailable' },
  unknown: { Icon: ReportProblemIcon, tone: 'warning', text: 'Unknown' },
  'pending-import': {
    Icon: ScheduleIcon,
    tone: 'pending',
    text: 'Pending import',
  },
};

export const SYNC_STATUS: Record<SyncStatus, StatusStyle> = {
  Synced: { Icon: CheckCircleIcon, tone: 'ok', text: 'Synced' },
  OutOfSync: { Icon: SyncProblemIcon, tone: 'warning', text: 'Out of sync' },
  Unknown: { Icon: HelpOutlineIcon, tone: 'aborted', text: 'Sync unknown' },
};

// Argo CD's meanings: Progressing is work under way (running, Argo draws it blue);
// Suspended is paused on purpose (a suspended rollout or cron job), neither a problem nor
// waiting to start, so it is neutral; Missing means the resource is not in the cluster.
export const HEALTH_STATUS: Record<HealthStatus, StatusStyle> = {
  Healthy: { Icon: FavoriteIcon, tone: 'ok', text: 'Healthy' },
  Progressing: {
    Icon: HourglassEmptyIcon,
    tone: 'running',
    text: 'Progressing',
  },
  Degraded: { Icon: ErrorIcon, tone: 'error', text: 'Degraded' },
  Suspended: {
    Icon: PauseCircleFilledIcon,
    tone: 'aborted',
    text: 'Suspended',
  },
  Missing: { Icon: RemoveCircleOutlineIcon, tone: 'warning', text: 'Missing' },
  Unknown: { Icon: HelpOutlineIcon, tone: 'aborted', text: 'Health unknown' },
};

export const SOURCE_STATE: Record<SourceState, StatusStyle> = {
  ok: { Icon: CheckCircleIcon, tone: 'ok', text: 'OK' },
  stale: { Icon: ReportProblemIcon, tone: 'warning', text: 'Stale' },
  error: { Icon: ErrorIcon, tone: 'error', text: 'Error' },
};

/** The style of `status` in `table`; a value newer than the table shows as itself, neutral. */
export function styleOf<K extends string>(
  table: Record<K, StatusStyle>,
  status: K,
): StatusStyle {
  return (
    table[status] ?? {
      Icon: TONE_ICON.aborted,
      tone: 'aborted',
      text: String(status),
    }
  );
}

function toneColor(theme: Theme, tone: Tone): string {
  // Backstage themes add `palette.status`; fall back to its documented defaults.
  const status =
    (theme.palette as unknown as { status?: Partial<Record<Tone, string>> })
      .status ?? {};
  switch (tone) {
    case 'ok':
      return status.ok ?? '#3E8635';
    case 'warning':
      return status.warning ?? '#F0AB00';
    case 'error':
      return status.error ?? '#C9190B';
    case 'running':
      return status.running ?? theme.palette.info.main;
    default:
      // Backstage's own status icons draw pending grey too: its yellow is unreadable on white.
      return status.aborted ?? '#6A6E73';
  }
}

/** One colour class per tone. */
export const useToneClasses = makeStyles(
  theme => ({
    ok: { color: toneColor(theme, 'ok') },
    warning: { color: toneColor(theme, 'warning') },
    error: { color: toneColor(theme, 'error') },
    pending: { color: toneColor(theme, 'pending') },
    running: { color: toneColor(theme, 'running') },
    aborted: { color: toneColor(theme, 'aborted') },
  }),
  { name: 'MulticloudGitopsTone' },
);

export type ToneClasses = ReturnType<typeof useToneClasses>;

/**
 * The icon of a status in its tone, hidden from screen readers (the caller gives the
 * word). Takes the tone classes rather than calling the hook, so a virtualised grid can
 * compute them once instead of once per cell.
 */
export function StatusIcon(props: {
  status: StatusStyle;
  tones: ToneClasses;
  className?: string;
}) {
  const { Icon, tone } = props.status;
  return (
    <Icon
      className={`${props.className ?? ''} ${props.tones[tone]}`}
      data-tone={tone}
      aria-hidden
    />
  );
}

/** An MUI icon's drawing (its path elements), found once per icon; null if not found. */
const drawings = new WeakMap<ComponentType<SvgIconProps>, ReactNode | null>();
function drawingOf(Icon: ComponentType<SvgIconProps>): ReactNode | null {
  if (drawings.has(Icon)) return drawings.get(Icon) ?? null;
  let drawing: ReactNode | null = null;
  try {
    // An icon made by MUI's createSvgIcon is memo(forwardRef(render)), and its render
    // only wraps the drawing in an SvgIcon element, without hooks: call it to get it.
    const render = (
      Icon as unknown as { type?: { render?: (p: {}, r: null) => unknown } }
    ).type?.render;
    const element = typeof render === 'function' ? render({}, null) : null;
    if (isValidElement<{ children?: ReactNode }>(element))
      drawing = element.props.children ?? null;
  } catch {
    drawing = null;
  }
  drawings.set(Icon, drawing);
  return drawing;
}

/** A StatusGlyph's sizing at 16 px, as SvgIcon's own class gives an icon. */
export const GLYPH_16 = {
  fontSize: 16,
  width: '1em',
  height: '1em',
  fill: 'currentColor',
  flexShrink: 0,
  display: 'inline-block',
} as const;

/**
 * The same icon as StatusIcon, drawn as a bare `<svg>`: no MUI component and no style hook
 * per icon. For views that draw hundreds at once (the matrix's cells, the cluster rows),
 * where SvgIcon's wrapper components were most of a cell's cost. The class must size the
 * icon (`width`/`height: 1em`, `fill: currentColor`), as SvgIcon's own class does.
 */
export function StatusGlyph(props: {
  status: StatusStyle;
  tones: ToneClasses;
  className?: string;
}) {
  const { Icon, tone } = props.status;
  const drawing = drawingOf(Icon);
  const className = `${props.className ?? ''} ${props.tones[tone]}`;
  if (drawing === null)
    return <Icon className={className} data-tone={tone} aria-hidden />;
  return (
    <svg
      className={className}
      viewBox="0 0 24 24"
      focusable="false"
      aria-hidden
      data-tone={tone}
    >
      {drawing}
    </svg>
  );
}

/** An SVG drawing (an icon's path elements) as markup, for an image of it. */
function markupOf(node: ReactNode): string {
  return Children.toArray(node)
    .map(child => {
      if (!isValidElement<Record<string, unknown>>(child)) return '';
      const { children, ...attrs } = child.props;
      if (child.type === Fragment) return markupOf(children as ReactNode);
      if (typeof child.type !== 'string') return '';
      const written = Object.entries(attrs)
        .filter(([, v]) => typeof v === 'string' || typeof v === 'number')
        .map(
          ([k, v]) =>
            ` ${k.replace(/[A-Z]/g, c => `-${c.toLowerCase()}`)}="${String(v)
              .replace(/&/g, '&amp;')
              .replace(/"/g, '&quot;')
              .replace(/</g, '&lt;')}"`,
        )
        .join('');
      return `<${child.type}${written}>${markupOf(children as ReactNode)}</${
        child.type
      }>`;
    })
    .join('');
}

/** An icon in a colour as a CSS image; undefined when its drawing cannot be read. */
function iconImage(
  Icon: ComponentType<SvgIconProps>,
  color: string,
): string | undefined {
  const drawing = drawingOf(Icon);
  if (drawing === null) return undefined;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="${color}">${markupOf(
    drawing,
  )}</svg>`;
  return `url("data:image/svg+xml,${encodeURIComponent(svg)}")`;
}

/** The statuses a cell of the application matrix shows, by the name of their table. */
const GLYPH_TABLES = { sync: SYNC_STATUS, health: HEALTH_STATUS } as const;

export type GlyphTable = keyof typeof GLYPH_TABLES;

/** The class (see glyphImageRules) of a status's picture; a status newer than the tables has the neutral one. */
function glyphImageClass(table: GlyphTable, status: string): string {
  return status in GLYPH_TABLES[table]
    ? `glyph-${table}-${status}`
    : 'glyph-unknown';
}

/**
 * Class rules that draw the matrix's sync and health icons as images, each in its tone:
 * `glyphImage` sizes one like a 16 px icon, and `glyphImageClass` names its picture. A
 * screen of matrix cells is about a thousand icons; as inline SVGs each is a path filled
 * at every paint and a few elements to create and style, and the paint of a frame of new
 * cells took longer than a frame. An image per status is drawn once and copied.
 */
export function glyphImageRules(theme: Theme): Record<string, CSSProperties> {
  const rules: Record<string, CSSProperties> = {
    glyphImage: {
      ...GLYPH_16,
      backgroundRepeat: 'no-repeat',
      backgroundSize: '100% 100%',
    },
    'glyph-unknown': {
      backgroundImage: iconImage(
        TONE_ICON.aborted,
        toneColor(theme, 'aborted'),
      ),
    },
  };
  for (const [table, styles] of Object.entries(GLYPH_TABLES)) {
    for (const [status, style] of Object.entries<StatusStyle>(styles)) {
      rules[glyphImageClass(table as GlyphTable, status)] = {
        backgroundImage: iconImage(style.Icon, toneColor(theme, style.tone)),
      };
    }
  }
  return rules;
}

/**
 * A sync or health status's icon as an image (see glyphImageRules), hidden from screen
 * readers like StatusGlyph: the caller gives the word. `classes` must hold glyphImageRules.
 */
export function StatusImageGlyph(props: {
  table: GlyphTable;
  status: string;
  classes: Record<string, string>;
}) {
  const { table, status, classes } = props;
  const tone = styleOf(
    GLYPH_TABLES[table] as Record<string, StatusStyle>,
    status,
  ).tone;
  return (
    <span
      className={`${classes.glyphImage} ${
        classes[glyphImageClass(table, status)]
      }`}
      data-tone={tone}
      aria-hidden
    />
  );
}
