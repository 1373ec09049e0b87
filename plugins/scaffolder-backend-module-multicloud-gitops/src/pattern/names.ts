/*
 * Copyright 2026 The Multicloud GitOps Backstage Authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

/** DNS-1123 label: pattern, group, namespace and cluster names become namespaces and hostnames. */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const DNS1123_MAX = 63;

/**
 * validate_prereq enforces `len(pattern) + 2*len(group) < 47` because the
 * route `<group>-gitops-server-<pattern>-<group>` must fit a DNS label.
 */
export const NAME_LENGTH_LIMIT = 47;

/** Returns a sentence describing what is wrong, or undefined when valid. */
export function checkDns1123Label(
  value: unknown,
  what: string,
): string | undefined {
  if (typeof value !== 'string' || value.length === 0) {
    return `${what} must be a non-empty string`;
  }
  if (value.length > DNS1123_MAX) {
    return `${what} "${value}" is ${value.length} characters; use at most ${DNS1123_MAX}`;
  }
  if (!DNS1123_LABEL.test(value)) {
    return `${what} "${value}" is not a DNS-1123 label; use lower-case letters, digits and "-", starting and ending with a letter or digit`;
  }
  return undefined;
}

/** Returns a sentence when the pattern/group pair breaks the name-length rule. */
export function checkNameLengthRule(
  pattern: string,
  group: string,
): string | undefined {
  const total = pattern.length + 2 * group.length;
  if (total < NAME_LENGTH_LIMIT) {
    return undefined;
  }
  return `len(pattern "${pattern}") + 2*len(group "${group}") = ${total}, must be below ${NAME_LENGTH_LIMIT} (the route <group>-gitops-server-<pattern>-<group> must fit a DNS label); shorten the pattern or the group name`;
}

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
