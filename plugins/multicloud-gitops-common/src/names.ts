/*
 * Validated Patterns naming rules, shared by the scaffolder actions (which enforce them) and
 * the frontend's cluster-group form field (which explains them while typing), so both accept
 * the same names and say the same thing.
 */

/**
 * DNS-1123 label: pattern, group, namespace and cluster names become namespaces and hostnames.
 *
 * @public
 */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/**
 * Longest DNS-1123 label, in characters.
 *
 * @public
 */
export const DNS1123_MAX = 63;

/**
 * validate_prereq enforces `len(pattern) + 2*len(group) < 47` because the
 * route `<group>-gitops-server-<pattern>-<group>` must fit a DNS label.
 *
 * @public
 */
export const NAME_LENGTH_LIMIT = 47;

/** Returns a sentence describing what is wrong, or undefined when valid. @public */
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

/** Returns a sentence when the pattern/group pair breaks the name-length rule. @public */
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
