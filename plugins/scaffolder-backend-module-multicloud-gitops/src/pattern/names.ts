// The name rules shared with the frontend's cluster-group field live in -common, so the
// form and the actions accept and explain exactly the same names.
export {
  DNS1123_LABEL,
  DNS1123_MAX,
  NAME_LENGTH_LIMIT,
  checkDns1123Label,
  checkNameLengthRule,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';

// Kubernetes label syntax: optional DNS-subdomain prefix, a name of at most 63
// characters, values of at most 63 characters (may be empty).
const LABEL_NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;
const LABEL_PREFIX =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function checkLabelKey(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (
    prefix !== undefined &&
    (prefix.length > 253 || !LABEL_PREFIX.test(prefix))
  ) {
    return `label key "${key}" has an invalid prefix; use a DNS subdomain such as example.com/`;
  }
  if (name.length === 0 || name.length > 63 || !LABEL_NAME.test(name)) {
    return `label key "${key}" is invalid; use at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit`;
  }
  return undefined;
}

export function checkLabelValue(
  key: string,
  value: string,
): string | undefined {
  if (value === '') {
    return undefined;
  }
  if (value.length > 63 || !LABEL_NAME.test(value)) {
    return `label value "${value}" for "${key}" is invalid; use at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit`;
  }
  return undefined;
}
