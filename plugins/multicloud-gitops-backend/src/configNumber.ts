import { Config } from '@backstage/config';
import { HubConfigError } from '@multicloud-gitops-backstage/plugin-multicloud-gitops-node';

/**
 * A whole number from config, `fallback` when absent; anything else than a whole number from
 * `min` to `max` stops the backend at startup with one line naming the key and what it takes.
 */
export function readWholeNumber(
  config: Config,
  key: string,
  opts: { fallback: number; min: number; max: number; unit: string },
): number {
  const raw = config.getOptional<unknown>(key);
  if (raw === undefined) return opts.fallback;
  if (
    typeof raw !== 'number' ||
    !Number.isInteger(raw) ||
    raw < opts.min ||
    raw > opts.max
  )
    throw new HubConfigError(
      key,
      `must be a whole number of ${opts.unit} from ${opts.min} to ${opts.max}`,
    );
  return raw;
}
