import { ResponseError } from '@backstage/errors';

/**
 * The backend's error name (`InputError`, `NotAllowedError`, ...) and message, whether the
 * error is a ResponseError wrapping the backend body or a plain Error.
 */
export function describeError(e: Error): {
  name: string;
  message: string;
  status?: number;
} {
  if (e instanceof ResponseError || (e as Partial<ResponseError>).body?.error) {
    const r = e as ResponseError;
    return {
      name: r.body?.error?.name ?? r.cause?.name ?? r.name,
      message: r.body?.error?.message ?? r.cause?.message ?? r.message,
      status: r.statusCode ?? r.body?.response?.statusCode,
    };
  }
  return { name: e.name, message: e.message };
}
