import { generateKeyPairSync, randomBytes, sign } from 'crypto';
import { isIP } from 'net';

/**
 * A self-signed certificate for --tls, built in-process (node has no X.509 writer and we
 * avoid extra dependencies): a minimal DER encoder and an ECDSA P-256 key. The certificate
 * is its own CA (basicConstraints CA:true), so clients trust it with `caData` = the cert.
 */

function len(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n >>= 8) bytes.unshift(n & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
const tlv = (tag: number, body: Buffer) =>
  Buffer.concat([Buffer.from([tag]), len(body.length), body]);
const seq = (...parts: Buffer[]) => tlv(0x30, Buffer.concat(parts));
const set = (...parts: Buffer[]) => tlv(0x31, Buffer.concat(parts));
function oid(s: string): Buffer {
  const p = s.split('.').map(Number);
  const out = [40 * p[0] + p[1]];
  for (const n of p.slice(2)) {
    const b: number[] = [n & 0x7f];
    let v = n >> 7;
    while (v > 0) {
      b.unshift(0x80 | (v & 0x7f));
      v >>= 7;
    }
    out.push(...b);
  }
  return tlv(0x06, Buffer.from(out));
}
const int = (b: Buffer) =>
  tlv(0x02, b[0] & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b);
const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'));
const bool = (v: boolean) => tlv(0x01, Buffer.from([v ? 0xff : 0]));
const octet = (b: Buffer) => tlv(0x04, b);
const bits = (b: Buffer) => tlv(0x03, Buffer.concat([Buffer.from([0]), b]));
const explicit = (n: number, b: Buffer) => tlv(0xa0 + n, b);
function time(d: Date): Buffer {
  const s = `${d.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
  return d.getUTCFullYear() < 2050
    ? tlv(0x17, Buffer.from(s.slice(2)))
    : tlv(0x18, Buffer.from(s));
}
function ipBytes(ip: string): Buffer {
  if (isIP(ip) === 4) return Buffer.from(ip.split('.').map(Number));
  const parts = ip.split('::');
  const head = parts[0] ? parts[0].split(':') : [];
  const tail = parts.length > 1 && parts[1] ? parts[1].split(':') : [];
  const groups = [
    ...head,
    ...Array(8 - head.length - tail.length).fill('0'),
    ...tail,
  ];
  return Buffer.concat(groups.map(g => Buffer.from(g.padStart(4, '0'), 'hex')));
}

export interface SelfSigned {
  cert: string;
  key: string;
}

export function selfSignedCert(hosts: string[]): SelfSigned {
  const { privateKey, publicKey } = generateKeyPairSync('ec', {
    namedCurve: 'prime256v1',
  });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const ecdsaSha256 = seq(oid('1.2.840.10045.4.3.2'));
  const name = seq(
    set(seq(oid('2.5.4.3'), utf8('fleet-simulator'))),
    set(seq(oid('2.5.4.10'), utf8('fleet-simulator'))),
  );
  const now = Date.now();
  const sans = [...new Set(['localhost', '127.0.0.1', '::1', ...hosts])].map(
    h => (isIP(h) ? tlv(0x87, ipBytes(h)) : tlv(0x82, Buffer.from(h))),
  );
  const extensions = explicit(
    3,
    seq(
      seq(oid('2.5.29.19'), bool(true), octet(seq(bool(true)))), // basicConstraints CA:true
      seq(oid('2.5.29.15'), bool(true), octet(bits(Buffer.from([0x84])))), // keyUsage digitalSignature, keyCertSign
      seq(oid('2.5.29.37'), octet(seq(oid('1.3.6.1.5.5.7.3.1')))), // extKeyUsage serverAuth
      seq(oid('2.5.29.17'), octet(seq(...sans))), // subjectAltName
    ),
  );
  const serial = randomBytes(16);
  serial[0] &= 0x7f;
  const tbs = seq(
    explicit(0, int(Buffer.from([2]))),
    int(serial),
    ecdsaSha256,
    name,
    seq(time(new Date(now - 3600e3)), time(new Date(now + 365 * 86400e3))),
    name,
    spki,
    extensions,
  );
  const signature = sign('sha256', tbs, privateKey);
  const der = seq(tbs, ecdsaSha256, bits(signature));
  const b64 = der
    .toString('base64')
    .match(/.{1,64}/g)!
    .join('\n');
  return {
    cert: `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`,
    key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}
