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
