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

import { mockServices } from '@backstage/backend-test-utils';
import yaml from 'yaml';
import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { HubConnectionResolver } from '../hub/config';

/** A logger whose calls tests can inspect (e.g. to prove no secret is logged). */
export function recordingLogger() {
  const logger = mockServices.logger.mock();
  const lines = () =>
    (['info', 'warn', 'error', 'debug'] as const).flatMap(level =>
      (logger[level] as jest.Mock).mock.calls.map(
        (args: unknown[]) =>
          `${level}: ${args
            .map(a => (typeof a === 'string' ? a : JSON.stringify(a)))
            .join(' ')}`,
      ),
    );
  return { logger, lines };
}

/** The input of the first step of an example, as a template would pass it. */
export function exampleInput(examples: TemplateExample[], index = 0): any {
  return yaml.parse(examples[index].example).steps[0].input;
}

export function staticHubs(url: string, token: string): HubConnectionResolver {
  return { resolve: async () => ({ url, token, skipTLSVerify: true }) };
}

/** Collects ctx.output calls into an object. */
export function outputsOf(output: jest.Mock): Record<string, any> {
  return Object.fromEntries(output.mock.calls.map(([k, v]) => [k, v]));
}
