import {
  caDataBase64,
  describeKubernetesError,
  hubKubeConfig,
  kubernetesErrorStatus,
} from './kubernetes';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('caDataBase64', () => {
  it('encodes a PEM and passes base64 or nothing on', () => {
    expect(caDataBase64(PEM)).toBe(Buffer.from(PEM).toString('base64'));
    expect(caDataBase64('Q0E=')).toBe('Q0E=');
    expect(caDataBase64(undefined)).toBeUndefined();
  });
});

describe('hubKubeConfig', () => {
  it('points at the hub API with its token and TLS settings, not at any file', () => {
    const kc = hubKubeConfig({
      name: 'hub-a',
      api: {
        url: 'https://api.hub-a:6443',
        token: 'sa-token',
        caData: PEM,
        skipTLSVerify: false,
      },
    });
    expect(kc.getCurrentContext()).toBe('hub-a');
    expect(kc.getCurrentCluster()).toMatchObject({
      name: 'hub-a',
      server: 'https://api.hub-a:6443',
      skipTLSVerify: false,
      caData: Buffer.from(PEM).toString('base64'),
    });
    expect(kc.getCurrentUser()?.token).toBe('sa-token');
    expect(kc.getClusters()).toHaveLength(1);
  });

  it('turns skipTLSVerify on only when asked', () => {
    const kc = hubKubeConfig({
      name: 'lab',
      api: { url: 'http://127.0.0.1:1', token: 't', skipTLSVerify: true },
    });
    expect(kc.getCurrentCluster()?.skipTLSVerify).toBe(true);
    expect(kc.getCurrentCluster()?.caData).toBeUndefined();
  });
});

describe('kubernetesErrorStatus', () => {
  it('finds the status wherever the client put it', () => {
    expect(kubernetesErrorStatus({ code: 403 })).toBe(403);
    expect(kubernetesErrorStatus({ statusCode: 404 })).toBe(404);
    expect(kubernetesErrorStatus({ response: { statusCode: 410 } })).toBe(410);
  });

  it('has none for a network error', () => {
    expect(kubernetesErrorStatus({ code: 'ECONNREFUSED' })).toBeUndefined();
    expect(kubernetesErrorStatus(new Error('socket hang up'))).toBeUndefined();
    expect(kubernetesErrorStatus(undefined)).toBeUndefined();
  });
});

describe('describeKubernetesError', () => {
  const url = 'https://api.hub:6443';
  const credential = 'token multicloudGitops.hubs[0].serviceAccountToken';
  const say = (err: unknown) =>
    describeKubernetesError(err, {
      url,
      resource: 'managedclusters',
      credential,
    });

  it('names the credential and what to do about a 401 or 403', () => {
    expect(say({ code: 401 })).toBe(
      `hub API at ${url} rejected the ${credential} (401 Unauthorized) while listing managedclusters: renew or replace that token`,
    );
    expect(
      say({
        code: 403,
        body: JSON.stringify({ message: 'managedclusters is forbidden' }),
      }),
    ).toBe(
      `the ${credential} may not list managedclusters on ${url} (403 Forbidden): managedclusters is forbidden: grant list/watch on it to that service account`,
    );
  });

  it('says a missing resource may mean ACM is not installed', () => {
    expect(say({ statusCode: 404 })).toBe(
      `managedclusters is not served by ${url} (404): is ACM installed on this hub?`,
    );
  });

  it("passes on the hub's own message for other statuses, cut short", () => {
    expect(say({ code: 500, body: { message: 'etcd timeout' } })).toBe(
      `hub API at ${url} answered 500 while listing managedclusters: etcd timeout`,
    );
    expect(say({ code: 503, body: 'not json' })).toBe(
      `hub API at ${url} answered 503 while listing managedclusters`,
    );
    expect(say({ code: 500, body: { message: 'x'.repeat(500) } })).toHaveLength(
      `hub API at ${url} answered 500 while listing managedclusters: `.length +
        200,
    );
  });

  it('describes an unreachable hub the same way whatever was being read', () => {
    expect(say({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' })).toBe(
      `cannot reach the hub API at ${url} (ECONNREFUSED)`,
    );
    expect(say({ cause: { code: 'ENOTFOUND' } })).toBe(
      `cannot reach the hub API at ${url} (ENOTFOUND)`,
    );
    expect(say(new Error('socket hang up\nat ...'))).toBe(
      `cannot reach the hub API at ${url} (socket hang up)`,
    );
  });

  it('never repeats a bearer token from the client message', () => {
    const said = say(
      new Error('request failed: {"Authorization":"Bearer sa-secret-token"}'),
    );
    expect(said).not.toContain('sa-secret-token');
    expect(said).toContain('Bearer <redacted>');
  });
});
