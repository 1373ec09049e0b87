/** RFC 7386 JSON merge patch and RFC 6902 JSON patch (the two patch types CRDs accept). */
export class PatchError extends Error {}

export function mergePatch(target: any, patch: any): any {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch))
    return patch;
  const out =
    target && typeof target === 'object' && !Array.isArray(target)
      ? target
      : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

function unescape(token: string) {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

function parent(doc: any, pointer: string): [any, string] {
  if (!pointer.startsWith('/'))
    throw new PatchError(`invalid JSON pointer "${pointer}"`);
  const parts = pointer.slice(1).split('/').map(unescape);
  const last = parts.pop()!;
  let cur = doc;
  for (const p of parts) {
    if (cur === null || typeof cur !== 'object' || !(p in cur))
      throw new PatchError(`doc is missing path: "${pointer}": missing value`);
    cur = cur[p];
  }
  return [cur, last];
}

export function applyJsonPatch(doc: any, ops: any): any {
  if (!Array.isArray(ops))
    throw new PatchError(
      'json: cannot unmarshal object into Go value of type jsonpatch.Patch',
    );
  for (const op of ops) {
    if (!op || typeof op.path !== 'string')
      throw new PatchError('json patch operation is missing "path"');
    const [p, key] = parent(doc, op.path);
    const isArr = Array.isArray(p);
    let idx = Number(key);
    if (key === '-') idx = isArr ? p.length : -1;
    switch (op.op) {
      case 'add':
        if (isArr) p.splice(idx, 0, op.value);
        else p[key] = op.value;
        break;
      case 'replace':
        if (!(key in p))
          throw new PatchError(
            `replace operation does not apply: doc is missing key: ${op.path}: missing value`,
          );
        p[key] = op.value;
        break;
      case 'remove':
        if (!(key in p))
          throw new PatchError(
            `remove operation does not apply: doc is missing path: "${op.path}": missing value`,
          );
        if (isArr) p.splice(idx, 1);
        else delete p[key];
        break;
      case 'test':
        if (JSON.stringify(p[key]) !== JSON.stringify(op.value))
          throw new PatchError(`testing value ${op.path} failed: test failed`);
        break;
      default:
        throw new PatchError(`Unexpected kind: ${op.op}`);
    }
  }
  return doc;
}
