import type { IncomingMessage, ServerResponse } from 'http';
import { BodyError, readBody, sendJson } from '../http/util';

/** gRPC codes Argo CD's grpc-gateway maps to HTTP statuses. */
export const GRPC = {
  Unknown: 2,
  InvalidArgument: 3,
  NotFound: 5,
  AlreadyExists: 6,
  PermissionDenied: 7,
  FailedPrecondition: 9,
  Aborted: 10,
  Unimplemented: 12,
  Internal: 13,
  Unavailable: 14,
  Unauthenticated: 16,
} as const;

const HTTP_OF: Record<number, number> = {
  2: 500,
  3: 400,
  5: 404,
  6: 409,
  7: 403,
  9: 400,
  10: 409,
  12: 501,
  13: 500,
  14: 503,
  16: 401,
};

/** A refusal with the gRPC code Argo CD answers it with. */
export class ArgoError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

/** grpc-gateway's error body: {error, code, message, details}. */
export function sendArgoError(
  res: ServerResponse,
  code: number,
  message: string,
  httpStatus = HTTP_OF[code] ?? 500,
) {
  sendJson(res, httpStatus, { error: message, code, message, details: [] });
}

/** The gRPC code an injected HTTP status stands for. */
export function grpcCodeForStatus(status: number): number {
  switch (status) {
    case 400:
      return GRPC.InvalidArgument;
    case 401:
      return GRPC.Unauthenticated;
    case 403:
      return GRPC.PermissionDenied;
    case 404:
      return GRPC.NotFound;
    case 409:
      return GRPC.Aborted;
    case 501:
      return GRPC.Unimplemented;
    case 503:
      return GRPC.Unavailable;
    default:
      return status >= 500 ? GRPC.Internal : GRPC.InvalidArgument;
  }
}

/** Answer an ArgoError as Argo CD does; anything else is a bug and is rethrown. */
export function sendArgoFailure(res: ServerResponse, e: unknown) {
  if (!(e instanceof ArgoError)) throw e;
  sendArgoError(res, e.code, e.message);
}

/** The RBAC refusal: `permission denied: <resource>, <action>, <object>, sub: <user>`. */
export function sendDenied(
  res: ServerResponse,
  user: string,
  resource: string,
  action: string,
  object: string,
) {
  sendArgoError(
    res,
    GRPC.PermissionDenied,
    `permission denied: ${resource}, ${action}, ${object}, sub: ${user}`,
  );
}

/** The request's JSON body; an unreadable one is answered (400) and gives ok: false. */
export async function readArgoBody(
  req: IncomingMessage,
  res: ServerResponse,
): Promise<{ ok: true; value: any } | { ok: false }> {
  try {
    return { ok: true, value: await readBody(req) };
  } catch (e) {
    sendArgoError(res, GRPC.InvalidArgument, (e as BodyError).message);
    return { ok: false };
  }
}
