/*
 * The names the HTTP API and the catalog annotations take for hubs, cluster groups,
 * clusters, namespaces and Argo CD applications and instances: Kubernetes object names.
 * Pattern names are DNS-1123 labels, whose rule comes from the common package.
 */

/** Lower-case letters, digits, '-' and '.', starting and ending with a letter or digit. */
export const OBJECT_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/** The longest Kubernetes object name (a DNS-1123 subdomain). */
export const OBJECT_NAME_MAX = 253;
