/** @jsxImportSource react */
import { ApiHolder, useApi } from '@backstage/core-plugin-api';
import type {
  CustomFieldValidator,
  FieldExtensionComponentProps,
} from '@backstage/plugin-scaffolder-react';
import {
  checkDns1123Label,
  checkNameLengthRule,
  TopologyResponse,
  UNGROUPED,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Autocomplete from '@material-ui/lab/Autocomplete';
import useAsync from 'react-use/esm/useAsync';
import { multicloudGitopsApiRef } from '../../api';

/**
 * Options of the field, under `ui:options` in a template (a type, as rjsf's options need).
 * @public
 */
export type ClusterGroupPickerUiOptions = {
  /** The form field holding the pattern's System entity ref. Default `pattern`. */
  patternField?: string;
  /** Whether a name that is not a group yet is accepted (onboarding a cluster). Default true. */
  allowNew?: boolean;
};

export const CLUSTER_GROUP_PICKER_NAME = 'MulticloudGitopsClusterGroupPicker';

function patternRefOf(
  formData: Record<string, unknown> | undefined,
  options?: ClusterGroupPickerUiOptions,
): string | undefined {
  const value = formData?.[options?.patternField ?? 'pattern'];
  return typeof value === 'string' && value ? value : undefined;
}

/** The groups a cluster can join: every group of the pattern but the hub's and "ungrouped". */
export function joinableGroups(topology: TopologyResponse) {
  const hubGroup = topology.clusters.find(c => c.isHub)?.group;
  return topology.groups.filter(
    g => g.name !== hubGroup && g.name !== UNGROUPED,
  );
}

/**
 * What is wrong with a group name for this pattern, in the actions' own words. `existing` is
 * the pattern's groups when known; with `allowNew: false` the name must be one of them.
 */
export function clusterGroupProblem(
  group: string,
  pattern: string | undefined,
  existing?: string[],
  allowNew = true,
): string | undefined {
  const rule =
    checkDns1123Label(group, 'Cluster group') ??
    (pattern ? checkNameLengthRule(pattern, group) : undefined);
  if (rule) return rule;
  if (!allowNew && existing && !existing.includes(group)) {
    return existing.length
      ? `Pattern ${
          pattern ?? ''
        } has no cluster group "${group}"; choose one of ${existing.join(', ')}`
      : `Pattern ${
          pattern ?? ''
        } has no cluster group yet; onboard a cluster first`;
  }
  return undefined;
}

/**
 * Scaffolder field: a cluster group of the pattern chosen earlier in the form. It offers the
 * pattern's existing groups from the live fleet (with their cluster counts), accepts a new
 * name, and explains the Validated Patterns naming rules while typing, with the same
 * messages the onboarding actions use.
 */
export function ClusterGroupPicker(
  props: FieldExtensionComponentProps<string, ClusterGroupPickerUiOptions>,
) {
  const {
    formData,
    onChange,
    rawErrors,
    required,
    schema,
    uiSchema,
    formContext,
    idSchema,
    disabled,
  } = props;
  const api = useApi(multicloudGitopsApiRef);
  const patternRef = patternRefOf(
    formContext?.formData,
    uiSchema?.['ui:options'],
  );
  const fleet = useAsync(
    async () => (patternRef ? api.getEntityTopology(patternRef) : undefined),
    [api, patternRef],
  );
  const options = uiSchema?.['ui:options'];
  const groups = fleet.value ? joinableGroups(fleet.value) : [];
  const value = formData ?? '';
  const problem = value
    ? clusterGroupProblem(
        value,
        fleet.value?.pattern,
        fleet.value ? groups.map(g => g.name) : undefined,
        options?.allowNew ?? true,
      )
    : undefined;
  const existing = groups.find(g => g.name === value);
  let helperText: string | undefined = schema.description;
  if (problem) helperText = problem;
  else if (existing)
    helperText = `Existing group with ${existing.clusters.length} cluster(s)`;
  else if (value)
    helperText = `New group: added to the hub's managedClusterGroups, with values-${value}.yaml`;
  else if (fleet.error)
    helperText = `Could not load the pattern's groups (${fleet.error.message}); type a group name`;

  return (
    <Autocomplete
      id={idSchema?.$id}
      freeSolo
      disabled={disabled}
      loading={fleet.loading}
      options={groups.map(g => g.name)}
      inputValue={value}
      onInputChange={(_, v) => onChange(v ? v.trim() : undefined)}
      renderOption={option => {
        const g = groups.find(x => x.name === option);
        return (
          <span>
            {option}{' '}
            <Typography
              component="span"
              variant="caption"
              color="textSecondary"
            >
              {g ? `· ${g.clusters.length} cluster(s)` : ''}
            </Typography>
          </span>
        );
      }}
      renderInput={params => (
        <TextField
          {...params}
          label={schema.title ?? 'Cluster group'}
          required={required}
          margin="normal"
          variant="outlined"
          error={Boolean(problem) || Boolean(rawErrors?.length)}
          helperText={helperText}
          FormHelperTextProps={{ role: problem ? 'alert' : undefined }}
        />
      )}
    />
  );
}

/**
 * Runs when the user moves on: the naming rules, with the pattern's name from the backend
 * (the one the actions will check against), so the form stops a name the action would refuse.
 */
export const clusterGroupPickerValidation: CustomFieldValidator<
  string,
  ClusterGroupPickerUiOptions
> = async (value, validation, context) => {
  if (!value) return;
  const options = context.uiSchema?.['ui:options'];
  const ref = patternRefOf(
    context.formData as Record<string, unknown>,
    options,
  );
  let topology: TopologyResponse | undefined;
  if (ref) {
    try {
      topology = await (context.apiHolder as ApiHolder)
        .get(multicloudGitopsApiRef)
        ?.getEntityTopology(ref);
    } catch {
      // The backend is unreachable: the action checks the names again on its own.
    }
  }
  const problem = clusterGroupProblem(
    value,
    topology?.pattern,
    topology ? joinableGroups(topology).map(g => g.name) : undefined,
    options?.allowNew ?? true,
  );
  if (problem) validation.addError(problem);
};
