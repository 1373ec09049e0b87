import { makeStyles } from '@material-ui/core/styles';
import { GLYPH_16, glyphImageRules } from '../StatusLabel';

export const NAME_WIDTH = 220;
export const CELL_WIDTH = 44;
export const ROW_HEIGHT = 36;
export const HEADER_HEIGHT = 180;
export const BAND_HEIGHT = 22;
export const MAX_BODY_HEIGHT = 560;
export const SCROLLBAR = 16;

export const useStyles = makeStyles(theme => ({
  icon: GLYPH_16,
  legend: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1.5),
    alignItems: 'center',
    fontSize: '0.8125rem',
    marginBottom: theme.spacing(1),
  },
  legendItem: { display: 'inline-flex', alignItems: 'center', gap: 4 },
  cell: {
    boxSizing: 'border-box',
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    borderBottom: `1px solid ${theme.palette.divider}`,
  },
  groupStart: { borderLeft: `2px solid ${theme.palette.text.secondary}` },
  cellButton: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: 1,
    padding: 2,
    border: 'none',
    background: 'none',
    cursor: 'pointer',
    borderRadius: 4,
    position: 'relative',
    '&:hover, &:focus-visible': { background: theme.palette.action.hover },
    '&:focus-visible': { outline: `2px solid ${theme.palette.primary.main}` },
  },
  more: {
    position: 'absolute',
    top: -4,
    right: -6,
    fontSize: 10,
    fontWeight: 700,
    color: theme.palette.text.secondary,
  },
  absent: { color: theme.palette.text.disabled, fontSize: 12 },
  rowHeader: {
    boxSizing: 'border-box',
    display: 'flex',
    alignItems: 'center',
    padding: theme.spacing(0, 1),
    borderBottom: `1px solid ${theme.palette.divider}`,
    fontSize: '0.875rem',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  },
  colHeader: {
    boxSizing: 'border-box',
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    borderBottom: `2px solid ${theme.palette.divider}`,
  },
  band: {
    height: BAND_HEIGHT,
    width: '100%',
    boxSizing: 'border-box',
    fontSize: 11,
    fontWeight: 700,
    whiteSpace: 'nowrap',
    overflow: 'visible',
    paddingLeft: 2,
    lineHeight: `${BAND_HEIGHT}px`,
  },
  bandEven: { background: theme.palette.action.hover },
  bandOdd: { background: theme.palette.action.selected },
  colButton: {
    flex: 1,
    writingMode: 'vertical-rl',
    transform: 'rotate(180deg)',
    border: 'none',
    background: 'none',
    cursor: 'pointer',
    fontSize: 12,
    padding: 4,
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    color: theme.palette.text.primary,
    display: 'flex',
    alignItems: 'center',
    gap: 4,
    '&:focus-visible': { outline: `2px solid ${theme.palette.primary.main}` },
  },
  // The button is turned half a circle to read bottom-up; turn the icon back upright.
  colIcon: { fontSize: 14, flexShrink: 0, transform: 'rotate(180deg)' },
  // The cells' sync and health icons, as images.
  ...glyphImageRules(theme),
}));

export type MatrixClasses = ReturnType<typeof useStyles>;
