import { JsonValue } from '@backstage/types';
import { ConfigReader } from '@backstage/config';
import { MAX_ANSWER_BYTES, readMaxAnswerBytes } from './limits';

const read = (value: JsonValue) =>
  readMaxAnswerBytes(
    new ConfigReader({ multicloudGitops: { maxUpstreamAnswerMiB: value } }),
  );

describe('readMaxAnswerBytes', () => {
  it('defaults to 32 MiB and reads MiB', () => {
    expect(readMaxAnswerBytes(new ConfigReader({}))).toBe(MAX_ANSWER_BYTES);
    expect(read(128)).toBe(128 * 1024 * 1024);
  });

  it.each([0, -1, 1.5, 2048, '64'])(
    'refuses %p, naming the key and what it takes',
    value => {
      expect(() => read(value)).toThrow(
        /multicloudGitops\.maxUpstreamAnswerMiB.*whole number of MiB from 1 to 1024/,
      );
    },
  );
});
