'use strict';
/*
 * A stand-in for the npm registry, for our scope only: serves the packuments and tarballs of
 * the packages we just packed, so a fresh app installs them with plain `npm install <name>`
 * exactly as it would after `npm publish`. Everything else keeps coming from the registry npm
 * is configured with (the app's .npmrc maps only our scope to this server).
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');

/** packs: [{ name, version, tarball, packedJson }] from pack.js. */
async function startScopeRegistry(packs) {
  const byName = new Map();
  for (const p of packs) {
    const data = fs.readFileSync(p.tarball);
    byName.set(p.name, {
      pack: p,
      data,
      integrity: `sha512-${crypto
        .createHash('sha512')
        .update(data)
        .digest('base64')}`,
      shasum: crypto.createHash('sha1').update(data).digest('hex'),
    });
  }
  const requests = [];
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent(req.url.split('?')[0]);
    requests.push(url);
    const tarball = /^\/-\/tarball\/(.+)\.tgz$/.exec(url);
    if (tarball && byName.has(tarball[1])) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(byName.get(tarball[1]).data);
      return;
    }
    const entry = byName.get(url.slice(1));
    if (!entry) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error":"not found"}');
      return;
    }
    const { pack } = entry;
    const base = `http://${req.headers.host}`;
    const packument = {
      name: pack.name,
      'dist-tags': { latest: pack.version },
      versions: {
        [pack.version]: {
          ...pack.packedJson,
          _id: `${pack.name}@${pack.version}`,
          dist: {
            tarball: `${base}/-/tarball/${pack.name}.tgz`,
            integrity: entry.integrity,
            shasum: entry.shasum,
          },
        },
      },
    };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(packument));
  });
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}/`;
  return {
    url,
    requests,
    close: () => new Promise(resolve => server.close(resolve)),
  };
}

module.exports = { startScopeRegistry };
