import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createAddApplicationAction } from './addApplication';
import { examples } from './addApplication.examples';
import { copyReferencePattern } from '../__testUtils__/fixtures';
import { exampleInput } from '../__testUtils__/actions';

describe('multicloud-gitops:values:add-application examples', () => {
  it.each(examples.map((_, i) => i))(
    'example %i adds its application',
    async i => {
      const dir = copyReferencePattern();
      fs.mkdirSync(path.join(dir, 'charts/all/inventory'), { recursive: true });
      const input = exampleInput(examples, i);
      await createAddApplicationAction().handler(
        createMockActionContext({ input, workspacePath: dir }),
      );
      const cg = parse(
        fs.readFileSync(path.join(dir, `values-${input.group}.yaml`), 'utf8'),
      ).clusterGroup;
      expect(cg.applications[input.app]).toMatchObject({
        name: input.app,
        namespace: input.namespace,
      });
    },
  );
});
