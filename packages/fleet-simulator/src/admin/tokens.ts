import { randomBytes } from 'crypto';

export type Rights = 'full' | 'read';

export type TokenCheck =
  | { ok: true; rights: Rights; user: string }
  | { ok: false; reason: 'missing' | 'unknown' | 'revoked' };

/**
 * Bearer tokens shared by the simulated APIs: the full-rights token (also admin), a
 * read-only token (403 on writes), and Argo CD session tokens issued by POST /api/v1/session.
 * Revoking a token makes every API treat it as unknown until it is restored.
 */
export class Tokens {
  private readonly revoked = new Set<string>();
  private readonly sessions = new Map<
    string,
    { instance: string; username: string }
  >();

  constructor(readonly full: string, readonly readOnly: string) {}

  check(token: string | undefined): TokenCheck {
    if (!token) return { ok: false, reason: 'missing' };
    if (this.revoked.has(token)) return { ok: false, reason: 'revoked' };
    if (token === this.full)
      return {
        ok: true,
        rights: 'full',
        user: 'system:serviceaccount:fleet-simulator:admin',
      };
    if (token === this.readOnly)
      return {
        ok: true,
        rights: 'read',
        user: 'system:serviceaccount:fleet-simulator:reader',
      };
    return { ok: false, reason: 'unknown' };
  }

  /** Argo CD: a session token (valid for the instance that issued it) or a simulator token. */
  checkArgo(token: string | undefined, instance: string): TokenCheck {
    if (token && !this.revoked.has(token)) {
      const s = this.sessions.get(token);
      if (s && s.instance === instance)
        return { ok: true, rights: 'full', user: s.username };
    }
    return this.check(token);
  }

  newSession(instance: string, username: string): string {
    // JWT-shaped so clients that decode the header/payload (for expiry) do not choke
    const b64 = (o: unknown) =>
      Buffer.from(JSON.stringify(o)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const token = [
      b64({ alg: 'HS256', typ: 'JWT' }),
      b64({
        iss: 'argocd',
        sub: `${username}:login`,
        nbf: now,
        iat: now,
        exp: now + 86400,
        jti: randomBytes(8).toString('hex'),
      }),
      randomBytes(24).toString('base64url'),
    ].join('.');
    this.sessions.set(token, { instance, username });
    return token;
  }

  endSession(token: string | undefined) {
    if (token) this.sessions.delete(token);
  }

  revoke(token: string) {
    this.revoked.add(token);
  }

  restore(token: string) {
    this.revoked.delete(token);
  }

  reset() {
    this.revoked.clear();
    this.sessions.clear();
  }
}
