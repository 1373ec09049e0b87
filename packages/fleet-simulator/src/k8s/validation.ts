import fs from 'fs';
import path from 'path';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import YAML from 'yaml';
import { ResourceType } from './registry';

/**
 * Validates write bodies against the upstream CRD schemas (`spec.versions[].schema.openAPIV3Schema`).
 * The CRDs are read at run time from shared/reference/crds (they are upstream files we must not
 * copy into the package); when that folder cannot be found writes are accepted unvalidated and
 * the start-up log says so. The few upstream CRDs that folder lacks are in the package's crds/.
 */

let crdDirCache: string | null | undefined;

export function findCrdDir(explicit?: string): string | null {
  if (explicit) return fs.existsSync(explicit) ? explicit : null;
  if (process.env.FLEET_SIMULATOR_CRDS)
    return fs.existsSync(process.env.FLEET_SIMULATOR_CRDS)
      ? process.env.FLEET_SIMULATOR_CRDS
      : null;
  if (crdDirCache !== undefined) return crdDirCache;
  // the package runs from source in this monorepo: walk up from here to the repo's sibling shared/
  // eslint-disable-next-line no-restricted-syntax
  let dir = __dirname;
  crdDirCache = null;
  for (let i = 0; i < 8; i++) {
    for (const cand of [
      path.join(dir, 'shared', 'reference', 'crds'),
      path.join(dir, '..', 'shared', 'reference', 'crds'),
    ]) {
      if (fs.existsSync(cand)) {
        crdDirCache = path.resolve(cand);
        return crdDirCache;
      }
    }
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return crdDirCache;
}

/** Remove the x-kubernetes-* vendor keys ajv does not know (ajv runs with strict:false anyway). */
export function stripVendorKeys(schema: any): any {
  if (Array.isArray(schema)) return schema.map(stripVendorKeys);
  if (!schema || typeof schema !== 'object') return schema;
  const out: any = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k.startsWith('x-kubernetes-')) continue;
    // the `properties` map holds field names, not keywords: keep every key there
    out[k] =
      k === 'properties'
        ? Object.fromEntries(
            Object.entries(v as object).map(([pk, pv]) => [
              pk,
              stripVendorKeys(pv),
            ]),
          )
        : stripVendorKeys(v);
  }
  // int-or-string fields carry no type; the vendor key we dropped allowed both
  if (schema['x-kubernetes-int-or-string'] && !out.anyOf) delete out.type;
  return out;
}

export function loadCrdSchema(
  file: string,
  version: string,
): object | undefined {
  const text = fs.readFileSync(file, 'utf8');
  for (const doc of YAML.parseAllDocuments(text)) {
    const crd = doc.toJSON();
    if (crd?.kind !== 'CustomResourceDefinition') continue;
    const v = crd.spec.versions.find((x: any) => x.name === version);
    if (v?.schema?.openAPIV3Schema)
      return stripVendorKeys(v.schema.openAPIV3Schema);
  }
  return undefined;
}

const ajv = new Ajv({
  strict: false,
  allErrors: true,
  validateFormats: false,
  useDefaults: true,
});
const compiled = new Map<string, ValidateFunction | null>();

/**
 * The package's own crds/ folder: upstream CRDs that shared/reference does not hold (see its
 * README.md). The package runs from source, two levels above this file.
 */
// eslint-disable-next-line no-restricted-syntax
export const PACKAGE_CRD_DIR = path.resolve(__dirname, '..', '..', 'crds');

/** Where a CRD file is: the package's crds/ first, then the shared folder. */
export function crdPath(file: string, crdDir: string | null): string | null {
  const own = path.join(PACKAGE_CRD_DIR, file);
  if (fs.existsSync(own)) return own;
  return crdDir ? path.join(crdDir, file) : null;
}

export function validatorFor(
  rt: ResourceType,
  crdDir: string | null,
): ValidateFunction | null {
  if (!rt.crdFile) return null;
  const file = crdPath(rt.crdFile, crdDir);
  if (!file) return null;
  const key = file;
  if (compiled.has(key)) return compiled.get(key)!;
  const schema = loadCrdSchema(file, rt.versions[0]);
  const fn = schema ? ajv.compile(schema) : null;
  compiled.set(key, fn);
  return fn;
}

export interface FieldCause {
  reason: string;
  message: string;
  field: string;
}

/** "/spec/taints/0/effect" -> "spec.taints[0].effect" (how apiserver names fields). */
function fieldPath(instancePath: string, extra?: string): string {
  const parts = instancePath.split('/').filter(Boolean);
  if (extra) parts.push(extra);
  let out = '';
  for (const p of parts) {
    if (/^\d+$/.test(p)) out += `[${p}]`;
    else out += out ? `.${p}` : p;
  }
  return out || '<root>';
}

function valueText(v: unknown): string {
  return typeof v === 'string' ? `"${v}"` : JSON.stringify(v);
}

function jsonType(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  return typeof v;
}

function get(obj: any, instancePath: string): unknown {
  let cur = obj;
  for (const p of instancePath.split('/').filter(Boolean)) cur = cur?.[p];
  return cur;
}

/** ajv errors -> apiserver-style causes (`Required value`, `Invalid value`, `Unsupported value`). */
export function toCauses(errors: ErrorObject[], body: unknown): FieldCause[] {
  const seen = new Set<string>();
  const causes: FieldCause[] = [];
  for (const e of errors) {
    let c: FieldCause;
    if (e.keyword === 'required') {
      const f = fieldPath(e.instancePath, (e.params as any).missingProperty);
      c = { reason: 'FieldValueRequired', field: f, message: 'Required value' };
    } else if (e.keyword === 'enum') {
      const f = fieldPath(e.instancePath);
      const allowed = ((e.params as any).allowedValues as unknown[])
        .map(valueText)
        .join(', ');
      c = {
        reason: 'FieldValueNotSupported',
        field: f,
        message: `Unsupported value: ${valueText(
          get(body, e.instancePath),
        )}: supported values: ${allowed}`,
      };
    } else if (e.keyword === 'type') {
      const f = fieldPath(e.instancePath);
      const v = get(body, e.instancePath);
      c = {
        reason: 'FieldValueTypeInvalid',
        field: f,
        message: `Invalid value: "${jsonType(
          v,
        )}": ${f} in body must be of type ${
          (e.params as any).type
        }: ${valueText(v)}`,
      };
    } else if (
      e.keyword === 'if' ||
      e.keyword === 'anyOf' ||
      e.keyword === 'oneOf'
    ) {
      continue; // their sub-errors carry the detail
    } else {
      const f = fieldPath(e.instancePath);
      c = {
        reason: 'FieldValueInvalid',
        field: f,
        message: `Invalid value: ${valueText(
          get(body, e.instancePath),
        )}: ${f} in body ${e.message}`,
      };
    }
    const k = `${c.field}|${c.message}`;
    if (!seen.has(k)) {
      seen.add(k);
      causes.push(c);
    }
  }
  return causes;
}

const DNS1123_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Checks every kind gets from apiserver regardless of schema (metadata.name). */
export function metadataCauses(body: any): FieldCause[] {
  const name = body?.metadata?.name;
  if (name === undefined || name === '') {
    return [
      {
        reason: 'FieldValueRequired',
        field: 'metadata.name',
        message: 'Required value: name or generateName is required',
      },
    ];
  }
  if (
    typeof name !== 'string' ||
    name.length > 253 ||
    !DNS1123_SUBDOMAIN.test(name)
  ) {
    return [
      {
        reason: 'FieldValueInvalid',
        field: 'metadata.name',
        message: `Invalid value: ${valueText(
          name,
        )}: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
      },
    ];
  }
  for (const m of ['labels', 'annotations'] as const) {
    const v = body.metadata[m];
    if (v === undefined || v === null) continue;
    if (
      typeof v !== 'object' ||
      Array.isArray(v) ||
      Object.values(v).some(x => typeof x !== 'string')
    ) {
      return [
        {
          reason: 'FieldValueTypeInvalid',
          field: `metadata.${m}`,
          message: `Invalid value: ${valueText(
            v,
          )}: metadata.${m} must be a map of string to string`,
        },
      ];
    }
  }
  return [];
}
