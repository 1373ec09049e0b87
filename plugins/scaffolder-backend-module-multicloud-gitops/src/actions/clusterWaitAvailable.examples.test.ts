/*
 * Copyright 2026 The Multicloud GitOps Backstage Authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createClusterWaitAvailableAction } from './clusterWaitAvailable';
import { examples } from './clusterWaitAvailable.examples';
import { FakeHub, startFakeHub } from '../__testUtils__/fakeHub';
import { exampleInput, outputsOf, staticHubs } from '../__testUtils__/actions';

describe('multicloud-gitops:cluster:wait-available examples', () => {
  let hub: FakeHub;
  beforeEach(async () => {
    hub = await startFakeHub();
  });
  afterEach(() => hub.stop());

  it('example 1 waits for an available cluster', async () => {
    hub.put('managedclusters', {
      metadata: { name: 'edge-01' },
      status: {
        conditions: [
          { type: 'ManagedClusterConditionAvailable', status: 'True' },
        ],
      },
    });
    const input = exampleInput(examples, 0);
    expect(input).toMatchObject({ timeoutSeconds: 900, intervalSeconds: 15 });
    const ctx = createMockActionContext({ input });
    await createClusterWaitAvailableAction({
      hubs: staticHubs(hub.url, hub.token),
    }).handler(ctx);
    expect(outputsOf(ctx.output as jest.Mock).available).toBe(true);
  });
});
