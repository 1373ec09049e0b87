// node --test scripts/lib: the allocator the example backend and the reliability suite start
// the backend with.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { spawnSync } = require('node:child_process');
const { allocatorEnv, JEMALLOC } = require('./allocator');

const installed = JEMALLOC.find(p => fs.existsSync(p));
const linux = { platform: 'linux', exists: p => p === JEMALLOC[0] };

test('preloads jemalloc on Linux when it is installed', () => {
  assert.deepEqual(allocatorEnv({}, linux), {
    env: { LD_PRELOAD: JEMALLOC[0] },
    allocator: 'jemalloc',
  });
});

test('keeps a library the environment already preloads', () => {
  assert.deepEqual(allocatorEnv({ LD_PRELOAD: '/opt/trace.so' }, linux).env, {
    LD_PRELOAD: `${JEMALLOC[0]} /opt/trace.so`,
  });
  assert.deepEqual(
    allocatorEnv({ LD_PRELOAD: '/opt/libjemalloc.so.2' }, linux).env,
    {},
  );
});

test('says why it runs on the system malloc', () => {
  assert.match(
    allocatorEnv({}, { platform: 'linux', exists: () => false }).allocator,
    /not installed: apt-get install libjemalloc2/,
  );
  assert.deepEqual(
    allocatorEnv({}, { platform: 'darwin', exists: () => true }),
    {
      env: {},
      allocator: 'system malloc (darwin)',
    },
  );
  assert.deepEqual(allocatorEnv({ MCG_ALLOCATOR: 'system' }, linux).env, {});
});

test('refuses an allocator it does not know, naming the setting', () => {
  assert.throws(
    () => allocatorEnv({ MCG_ALLOCATOR: 'tcmalloc' }, linux),
    /MCG_ALLOCATOR=tcmalloc is not known/,
  );
});

test(
  'a Node process started with that environment runs on jemalloc',
  { skip: installed ? false : 'libjemalloc2 is not installed' },
  () => {
    const { env } = allocatorEnv({});
    const r = spawnSync(
      process.execPath,
      [
        '-e',
        "process.stdout.write(require('fs').readFileSync('/proc/self/maps', 'utf8'))",
      ],
      { env: { ...process.env, ...env }, encoding: 'utf8' },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /libjemalloc\.so\.2/);
  },
);
