/**
 * The largest answer a source accepts from Argo CD or ACM Search. Past it the answer is
 * refused as it streams in (the source goes to error, saying so) instead of being buffered
 * and parsed: a runaway or hostile upstream then costs at most this much memory per request.
 * A Search page is bounded by its page size; an Argo CD list is projected to the fields the
 * views use, so only an instance with tens of thousands of large applications comes near it.
 */
export const MAX_ANSWER_BYTES = 32 * 1024 * 1024;
