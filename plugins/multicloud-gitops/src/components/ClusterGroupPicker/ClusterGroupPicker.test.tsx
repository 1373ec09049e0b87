/** @jsxImportSource react */
import { useState } from 'react';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { multicloudGitopsApiRef } from '../../api';
import { createFakeApi } from '../../__testUtils__/fakeApi';
import {
  ClusterGroupPicker,
  ClusterGroupPickerUiOptions,
  clusterGroupPickerValidation,
} from './ClusterGroupPicker';

jest.setTimeout(30_000);

const PATTERN_REF = 'system:default/multicloud-gitops';

function Harness(props: { options?: ClusterGroupPickerUiOptions }) {
  const [value, setValue] = useState<string | undefined>();
  return (
    <>
      <ClusterGroupPicker
        {...({} as any)}
        formData={value}
        onChange={setValue}
        required
        rawErrors={[]}
        schema={{ title: 'Cluster group', type: 'string' }}
        uiSchema={{ 'ui:options': props.options ?? {} }}
        formContext={{ formData: { pattern: PATTERN_REF } }}
        idSchema={{ $id: 'root_clusterGroup' } as any}
      />
      <output data-testid="value">{value ?? ''}</output>
    </>
  );
}

async function render(options?: ClusterGroupPickerUiOptions) {
  const { api } = createFakeApi();
  await renderInTestApp(
    <TestApiProvider apis={[[multicloudGitopsApiRef, api]]}>
      <Harness options={options} />
    </TestApiProvider>,
  );
  return api;
}

describe('ClusterGroupPicker', () => {
  it("offers the pattern's groups from the live fleet, without the hub's", async () => {
    const api = await render();
    expect(api.getEntityTopology).toHaveBeenCalledWith(PATTERN_REF);
    await userEvent.click(
      screen.getByRole('textbox', { name: /Cluster group/ }),
    );
    const listbox = await screen.findByRole('listbox');
    const options = within(listbox)
      .getAllByRole('option')
      .map(o => o.textContent);
    expect(options).toEqual([
      'group-one · 2 cluster(s)',
      'group-two · 2 cluster(s)',
    ]);
    await userEvent.click(within(listbox).getByText('group-one'));
    expect(screen.getByTestId('value')).toHaveTextContent('group-one');
    expect(
      screen.getByText('Existing group with 2 cluster(s)'),
    ).toBeInTheDocument();
  });

  it('explains the naming rules while typing a new group', async () => {
    await render();
    const input = screen.getByRole('textbox', { name: /Cluster group/ });
    await userEvent.type(input, 'edge');
    expect(
      await screen.findByText(
        "New group: added to the hub's managedClusterGroups, with values-edge.yaml",
      ),
    ).toBeInTheDocument();
    await userEvent.type(input, '-far-away-x');
    // multicloud-gitops (17) + 2 * 15 = 47
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'len(pattern "multicloud-gitops") + 2*len(group "edge-far-away-x") = 47, must be below 47',
    );
    await userEvent.clear(input);
    await userEvent.type(input, 'Edge_1');
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Cluster group "Edge_1" is not a DNS-1123 label',
    );
  });

  it('says which groups exist when a new one is not allowed (onboarding an app)', async () => {
    await render({ allowNew: false });
    await waitFor(() =>
      expect(
        screen.getByRole('textbox', { name: /Cluster group/ }),
      ).toBeEnabled(),
    );
    await userEvent.type(
      screen.getByRole('textbox', { name: /Cluster group/ }),
      'edge',
    );
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Pattern multicloud-gitops has no cluster group "edge"; choose one of group-one, group-two',
    );
  });
});

describe('clusterGroupPickerValidation', () => {
  const run = async (
    value: string,
    options: ClusterGroupPickerUiOptions = {},
  ) => {
    const { api } = createFakeApi();
    const errors: string[] = [];
    await clusterGroupPickerValidation(
      value,
      { addError: (m: string) => errors.push(m) } as any,
      {
        apiHolder: { get: () => api } as any,
        formData: { pattern: PATTERN_REF },
        schema: {},
        uiSchema: { 'ui:options': options },
      },
    );
    return errors;
  };

  it('stops a name the onboarding actions would refuse, with their message', async () => {
    expect(await run('group-one')).toEqual([]);
    expect(await run('edge')).toEqual([]);
    expect(await run('edge-far-away-x')).toEqual([
      expect.stringMatching(/= 47, must be below 47/),
    ]);
    expect(await run('edge', { allowNew: false })).toEqual([
      expect.stringMatching(/has no cluster group "edge"/),
    ]);
  });
});
