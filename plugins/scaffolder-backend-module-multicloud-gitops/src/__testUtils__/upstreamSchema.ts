import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { upstreamSchemaPath } from './fixtures';

/** yq's `*` merge as used by upstream CI: maps merge deeply, everything else replaces. */
export function deepMerge(a: unknown, b: unknown): unknown {
  const isMap = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isMap(a) && isMap(b)) {
    const out: Record<string, unknown> = { ...a };
    for (const [k, v] of Object.entries(b)) {
      out[k] = k in a ? deepMerge(a[k], v) : v;
    }
    return out;
  }
  return b;
}

let validator: ReturnType<Ajv['compile']> | undefined;

/**
 * Runs the upstream clustergroup values.schema.json the way the upstream
 * jsonschema workflow does: every top-level values-*.yaml except global and
 * secrets, merged over values-global.yaml. Returns errors per file.
 */
export function upstreamSchemaErrors(dir: string): Record<string, string[]> {
  if (!validator) {
    const ajv = new Ajv({ strict: false, allErrors: true, useDefaults: true });
    validator = ajv.compile(
      JSON.parse(fs.readFileSync(upstreamSchemaPath, 'utf8')),
    );
  }
  const global = parse(
    fs.readFileSync(path.join(dir, 'values-global.yaml'), 'utf8'),
  );
  const out: Record<string, string[]> = {};
  for (const f of fs
    .readdirSync(dir)
    .filter(
      n =>
        /^values-.*\.yaml$/.test(n) &&
        n !== 'values-global.yaml' &&
        !n.startsWith('values-secret'),
    )) {
    const merged = deepMerge(
      global,
      parse(fs.readFileSync(path.join(dir, f), 'utf8')),
    );
    const ok = validator(merged);
    out[f] = ok
      ? []
      : (validator.errors ?? []).map(e => `${e.instancePath} ${e.message}`);
  }
  return out;
}
