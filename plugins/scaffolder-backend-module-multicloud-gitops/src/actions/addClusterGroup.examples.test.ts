import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createAddClusterGroupAction } from './addClusterGroup';
import { examples } from './addClusterGroup.examples';
import { copyReferencePattern } from '../__testUtils__/fixtures';
import { exampleInput } from '../__testUtils__/actions';

describe('multicloud-gitops:values:add-cluster-group examples', () => {
  it.each(examples.map((_, i) => i))('example %i adds its group', async i => {
    const dir = copyReferencePattern();
    const input = exampleInput(examples, i);
    await createAddClusterGroupAction().handler(
      createMockActionContext({ input, workspacePath: dir }),
    );
    const hub = parse(
      fs.readFileSync(path.join(dir, 'values-hub.yaml'), 'utf8'),
    );
    expect(hub.clusterGroup.managedClusterGroups[input.group].name).toBe(
      input.group,
    );
    expect(fs.existsSync(path.join(dir, `values-${input.group}.yaml`))).toBe(
      true,
    );
  });
});
