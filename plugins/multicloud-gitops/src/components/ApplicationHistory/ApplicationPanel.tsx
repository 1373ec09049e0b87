/** @jsxImportSource react */
import { useEffect, useState } from 'react';
import Box from '@material-ui/core/Box';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import {
  ApplicationSummary,
  applicationKey,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import { ApplicationDiff } from '../ApplicationDiff';
import { RevisionSpread } from '../RevisionSpread';
import { ApplicationHistory } from './ApplicationHistory';

export interface ApplicationPanelProps {
  hub: string;
  cluster: string;
  applications: ApplicationSummary[];
  /** The application to open first (e.g. from a matrix cell). */
  focusApplication?: string;
  entityRef?: string;
  version?: number;
}

/**
 * What runs where for one application of the cluster, chosen by the user: its revision
 * across clusters, its sync history (with Rollback for those allowed), and the diff when
 * it is OutOfSync. History and diff are read from Argo CD when an application is chosen.
 */
export function ApplicationPanel(props: ApplicationPanelProps) {
  const { hub, cluster, applications } = props;
  const [chosen, setChosen] = useState<string>('');
  useEffect(() => {
    setChosen(
      props.focusApplication &&
        applications.some(a => a.name === props.focusApplication)
        ? props.focusApplication
        : '',
    );
    // a new cluster or focus starts over; the live list changing does not
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [cluster, props.focusApplication]);
  const app =
    applications.find(a => applicationKey(a) === chosen) ??
    applications.find(a => a.name === chosen);

  return (
    <Box mt={3} component="section" aria-label="What runs where">
      <Typography variant="h6" component="h3" gutterBottom>
        What runs where
      </Typography>
      <TextField
        select
        size="small"
        // With an id, MUI links the label to the field: its accessible name is "Application".
        id="mcg-what-runs-where-application"
        label="Application"
        value={app ? applicationKey(app) : ''}
        onChange={e => setChosen(e.target.value)}
        style={{ minWidth: 280 }}
        SelectProps={{ displayEmpty: true }}
        InputLabelProps={{ shrink: true }}
      >
        <MenuItem value="">
          <em>Choose an application</em>
        </MenuItem>
        {applications.map(a => (
          <MenuItem key={applicationKey(a)} value={applicationKey(a)}>
            {a.name}
          </MenuItem>
        ))}
      </TextField>
      {app && (
        <>
          <Box mt={2}>
            <Typography variant="subtitle2" component="h4">
              Revisions across clusters
            </Typography>
            <RevisionSpread
              hub={hub}
              application={app.name}
              entityRef={props.entityRef}
              version={props.version}
            />
          </Box>
          <Box mt={2}>
            <Typography variant="subtitle2" component="h4">
              Sync history on {cluster}
            </Typography>
            <ApplicationHistory
              app={{ hub, cluster, name: app.name, namespace: app.namespace }}
              entityRef={props.entityRef}
              stateKey={`${app.sync}|${app.operationPhase ?? ''}|${
                app.revision ?? ''
              }`}
            />
          </Box>
          {app.sync === 'OutOfSync' && (
            <Box mt={2}>
              <Typography variant="subtitle2" component="h4">
                Live against git
              </Typography>
              <ApplicationDiff
                app={{ hub, cluster, name: app.name, namespace: app.namespace }}
              />
            </Box>
          )}
        </>
      )}
    </Box>
  );
}
