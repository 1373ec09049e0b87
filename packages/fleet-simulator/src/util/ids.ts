import { randomUUID } from 'crypto';

/** Run-time uids (objects created through the API). Generated fleets use the seeded PRNG. */
export function newUid(): string {
  return randomUUID();
}
