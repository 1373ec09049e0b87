'use strict';
/*
 * A stand-in for the npm registry, for our scope only: serves the packuments and tarballs of
 * the packages we just packed, so a fresh app installs them with plain `npm install <name>`
 * exactly as it would after `npm publish`. Everything else keeps coming from the registry npm
 * is configured with (the app's .npmrc maps only our scope to this server).
 *
 * It runs in a process of its own: the tests drive npm with spawnSync, which would block a
 * server living in their own event loop.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const { spawn } = require('node:child_process');
const os = require('node:os');
const path = require('node:path');

/** Serves packs ([{ name, version, tarball, packedJson }] from pack.js) in this process. */
async function serve(packs) {
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

/** Starts the registry in a child process; resolves with its URL and a close(). */
function startScopeRegistry(packs) {
  const list = path.join(
    fs.mkdtempSync(path.join(os.tmpdir(), 'mcg-registry-')),
    'packs.json',
  );
  fs.writeFileSync(list, JSON.stringify(packs));
  const child = spawn(process.execPath, [__filename, list], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('exit', code =>
      reject(new Error(`the scope registry exited (${code})`)),
    );
    child.stdout.on('data', d => {
      out += d.toString();
      const m = /^listening (\S+)$/m.exec(out);
      if (m)
        resolve({
          url: m[1],
          close: () =>
            new Promise(done => {
              if (child.exitCode !== null) return done();
              child.once('exit', () => done());
              child.kill();
            }),
        });
    });
  });
}

if (require.main === module) {
  serve(JSON.parse(fs.readFileSync(process.argv[2], 'utf8'))).then(r =>
    process.stdout.write(`listening ${r.url}\n`),
  );
}

module.exports = { startScopeRegistry };
