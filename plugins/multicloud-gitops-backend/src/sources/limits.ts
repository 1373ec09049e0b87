import { Config } from '@backstage/config';
import { readWholeNumber } from '../configNumber';

/**
 * The largest answer a source accepts from Argo CD or ACM Search, unless configured
 * (`multicloudGitops.maxUpstreamAnswerMiB`). Past it the answer is refused as it streams in
 * (the source goes to error, saying so) instead of being buffered and parsed: a runaway or
 * hostile upstream then costs at most this much memory per request. A Search page is
 * bounded by its page size; an Argo CD list is projected to the fields the views use, so
 * only an instance with tens of thousands of large applications comes near it.
 */
export const MAX_ANSWER_BYTES = 32 * 1024 * 1024;

const MAX_ANSWER_KEY = 'multicloudGitops.maxUpstreamAnswerMiB';

/** `multicloudGitops.maxUpstreamAnswerMiB`, in bytes. */
export function readMaxAnswerBytes(config: Config): number {
  const mib = readWholeNumber(config, MAX_ANSWER_KEY, {
    fallback: MAX_ANSWER_BYTES / (1024 * 1024),
    min: 1,
    max: 1024,
    unit: 'MiB',
  });
  return mib * 1024 * 1024;
}
