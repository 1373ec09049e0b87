/** @jsxImportSource react */
import { useApi } from '@backstage/core-plugin-api';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import { ApplicationRef, multicloudGitopsApiRef } from '../../api';
import { describeError } from '../../lib/errors';
import { useAbortableLoad } from '../RevisionSpread/useAbortableLoad';

const useStyles = makeStyles(theme => ({
  pre: {
    fontFamily: 'monospace',
    fontSize: '0.8rem',
    margin: 0,
    overflowX: 'auto',
    width: '100%',
  },
  added: { color: theme.palette.success?.dark ?? '#1b5e20' },
  removed: { color: theme.palette.error.dark },
  hunk: { color: theme.palette.text.secondary },
}));

/** One resource's unified diff, each line coloured by what it does. */
function DiffText(props: { diff: string }) {
  const classes = useStyles();
  const lineClass = (l: string) => {
    if (l.startsWith('@@')) return classes.hunk;
    if (l.startsWith('+') && !l.startsWith('+++')) return classes.added;
    if (l.startsWith('-') && !l.startsWith('---')) return classes.removed;
    return undefined;
  };
  return (
    <pre className={classes.pre}>
      {props.diff
        .replace(/\n$/, '')
        .split('\n')
        .map((l, i) => (
          <div key={i} className={lineClass(l)}>
            {l}
          </div>
        ))}
    </pre>
  );
}

/** The live state of an OutOfSync application's resources against git, per resource. */
export function ApplicationDiff(props: { app: ApplicationRef }) {
  const { hub, cluster, name, namespace } = props.app;
  const api = useApi(multicloudGitopsApiRef);
  const loaded = useAbortableLoad(
    signal =>
      api.getApplicationDiff({ hub, cluster, name, namespace }, { signal }),
    [api, hub, cluster, name, namespace],
  );
  const { error } = loaded;
  // the last application's diff is not this one's
  const diff =
    loaded.value?.application === name && loaded.value.cluster === cluster
      ? loaded.value
      : undefined;

  if (error)
    return (
      <Typography color="error" variant="body2" role="alert">
        Cannot load the diff of {name}: {describeError(error).message}
      </Typography>
    );
  if (!diff)
    return <LinearProgress aria-label={`Loading the diff of ${name}`} />;
  if (diff.unavailable)
    return (
      <Typography variant="body2" color="textSecondary" role="note">
        No diff: {diff.unavailable}
      </Typography>
    );
  const modified = diff.resources.filter(r => r.modified);
  if (!modified.length)
    return (
      <Typography variant="body2">
        Every resource of {name} matches git.
      </Typography>
    );
  return (
    <div aria-label={`Diff of ${name}`} role="region">
      <Typography variant="caption" color="textSecondary" component="p">
        {modified.length} of {diff.resources.length} resources differ (desired
        in git as ---, live on the cluster as +++).
      </Typography>
      {modified.map(r => {
        const id = `${r.kind}/${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
        return (
          <Accordion key={id} TransitionProps={{ unmountOnExit: true }}>
            <AccordionSummary
              expandIcon={<ExpandMoreIcon />}
              aria-label={`Diff of ${id}`}
            >
              <Typography variant="body2">
                <code>{id}</code>
              </Typography>
            </AccordionSummary>
            <AccordionDetails>
              {r.diff ? (
                <DiffText diff={r.diff} />
              ) : (
                <Typography variant="body2">
                  Argo CD marks it modified; its normalised manifests agree.
                </Typography>
              )}
            </AccordionDetails>
          </Accordion>
        );
      })}
    </div>
  );
}
