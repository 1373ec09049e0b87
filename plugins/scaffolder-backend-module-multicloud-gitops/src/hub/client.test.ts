import { ApiException } from '@kubernetes/client-node';
import { HUB_ERROR_HINTS, hubCallError } from './client';

const status = (code: number, reason: string, message: string) =>
  new ApiException(
    code,
    message,
    JSON.stringify({ kind: 'Status', code, reason, message }),
    {},
  );
const hints = { ...HUB_ERROR_HINTS, 403: 'grant create on patterns' };

describe('hubCallError', () => {
  it('names the call, the status and what to check, with secrets redacted', () => {
    const e = hubCallError(
      'creating Pattern patterns-operator/retail',
      status(401, 'Unauthorized', 'token sha256~secret-value is not valid'),
      s => s.split('sha256~secret-value').join('***'),
      hints,
    );
    expect(e.message).toBe(
      'creating Pattern patterns-operator/retail failed: HTTP 401 Unauthorized: token *** is not valid (the hub token in multicloudGitops.hubs is invalid or expired)',
    );
  });

  it("reports an admission webhook's denial as it is, not as missing RBAC", () => {
    const denied = hubCallError(
      'creating Pattern patterns-operator/retail',
      status(
        403,
        'Forbidden',
        'admission webhook "vpattern.gitops.hybrid-cloud-patterns.io" denied the request: only one Pattern resource is allowed',
      ),
      s => s,
      hints,
    );
    expect(denied.message).toMatch(/only one Pattern resource is allowed$/);
    const rbac = hubCallError(
      'creating Pattern patterns-operator/retail',
      status(403, 'Forbidden', 'patterns is forbidden'),
      s => s,
      hints,
    );
    expect(rbac.message).toMatch(/\(grant create on patterns\)$/);
  });
});
