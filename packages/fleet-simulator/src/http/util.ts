import type { IncomingMessage, ServerResponse } from 'http';
import YAML from 'yaml';

export class BodyError extends Error {
  constructor(message: string, readonly status = 400) {
    super(message);
  }
}

const MAX_BODY = 8 * 1024 * 1024;

export function readRawBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new BodyError('the request body is too large', 413));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Parse a JSON (or, for k8s, YAML) request body; malformed input becomes a BodyError. */
export async function readBody(
  req: IncomingMessage,
  allowYaml = false,
): Promise<any> {
  const raw = await readRawBody(req);
  if (raw.trim() === '') return undefined;
  const ct = String(req.headers['content-type'] ?? '');
  if (allowYaml && /yaml/.test(ct)) {
    try {
      return YAML.parse(raw);
    } catch (e) {
      throw new BodyError(
        `error converting YAML to JSON: ${(e as Error).message.split('\n')[0]}`,
      );
    }
  }
  try {
    return JSON.parse(raw);
  } catch (e) {
    throw new BodyError(
      `invalid character in request body: ${
        (e as Error).message.split('\n')[0]
      }`,
    );
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Plain text (ACM Search's http.Error replies are text/plain with a trailing newline). */
export function sendText(res: ServerResponse, status: number, text: string) {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'X-Content-Type-Options': 'nosniff',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function bearerToken(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+(.+)$/i.exec(h.trim());
  return m ? m[1].trim() : undefined;
}

export function cookie(req: IncomingMessage, name: string): string | undefined {
  const h = req.headers.cookie;
  if (!h) return undefined;
  for (const part of h.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name)
      return decodeURIComponent(part.slice(i + 1).trim());
  }
  return undefined;
}

export function parseDuration(
  v: string | number | undefined,
): number | undefined {
  if (v === undefined || v === null || v === '' || v === 0 || v === '0')
    return undefined;
  if (typeof v === 'number') return v;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(v.trim());
  if (!m) throw new Error(`invalid duration "${v}" (use e.g. 500ms, 5s, 1m)`);
  const n = Number(m[1]);
  const unit = m[2] ?? 'ms';
  const factor: Record<string, number> = {
    ms: 1,
    s: 1000,
    m: 60000,
    h: 3600000,
  };
  return n * factor[unit];
}
