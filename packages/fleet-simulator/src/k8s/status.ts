import type { ServerResponse } from 'http';
import { sendJson } from '../http/util';

/** A kube-apiserver `Status` failure body (every non-2xx reply). */
export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, unknown>;
  status: 'Failure' | 'Success';
  message: string;
  reason: string;
  details?: Record<string, unknown>;
  code: number;
}

const REASONS: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'AlreadyExists',
  410: 'Expired',
  413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

export function status(
  code: number,
  message: string,
  reason = REASONS[code] ?? 'Unknown',
  details?: Record<string, unknown>,
  metadata: Record<string, unknown> = {},
): StatusBody {
  const s: StatusBody = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata,
    status: 'Failure',
    message,
    reason,
    code,
  };
  if (details) s.details = details;
  return s;
}

export function sendStatus(res: ServerResponse, body: StatusBody) {
  sendJson(res, body.code, body);
}

/** "managedclusters.cluster.open-cluster-management.io" as upstream messages spell a resource. */
export function resourceLabel(group: string, plural: string): string {
  return group ? `${plural}.${group}` : plural;
}

export function notFound(
  group: string,
  plural: string,
  name: string,
): StatusBody {
  return status(
    404,
    `${resourceLabel(group, plural)} "${name}" not found`,
    'NotFound',
    { name, group, kind: plural },
  );
}

export function forbidden(
  user: string,
  verb: string,
  group: string,
  plural: string,
  namespace?: string,
  name?: string,
): StatusBody {
  const scope = namespace
    ? `in the namespace "${namespace}"`
    : 'at the cluster scope';
  return status(
    403,
    `${resourceLabel(group, plural)}${
      name ? ` "${name}"` : ''
    } is forbidden: User "${user}" cannot ${verb} resource "${plural}" in API group "${group}" ${scope}`,
    'Forbidden',
    { ...(name ? { name } : {}), group, kind: plural },
  );
}

export const unauthorized = () => status(401, 'Unauthorized', 'Unauthorized');

/** 405 as the apiserver words it; `details` names the resource when there is one. */
export const methodNotAllowed = (details?: Record<string, unknown>) =>
  status(
    405,
    'the server does not allow this method on the requested resource',
    'MethodNotAllowed',
    details,
  );

export const noResource = () =>
  status(
    404,
    'the server could not find the requested resource',
    'NotFound',
    {},
  );
