'use strict';
/*
 * The memory allocator the example backend runs on. Under glibc's malloc, a burst of socket
 * reads (an upstream answer of tens of MB arrives as thousands of 64 KiB buffers) leaves the
 * freed pages in the process: its RSS stays 70-150 MiB higher with nothing held (figures in
 * reliability/README.md). jemalloc returns such pages to the OS within seconds, so the
 * example backend preloads it when it is installed (Debian: `libjemalloc2`).
 * `MCG_ALLOCATOR=system` keeps the C library's malloc.
 */
const fs = require('node:fs');

const JEMALLOC = [
  '/usr/lib/x86_64-linux-gnu/libjemalloc.so.2',
  '/usr/lib/aarch64-linux-gnu/libjemalloc.so.2',
  '/usr/lib64/libjemalloc.so.2',
  '/usr/lib/libjemalloc.so.2',
];

/**
 * What to add to a backend process's environment, and a line saying which allocator it
 * gets. `env` is the environment it would otherwise start with.
 */
function allocatorEnv(
  env = process.env,
  { platform = process.platform, exists = fs.existsSync } = {},
) {
  const preload = env.LD_PRELOAD ?? '';
  if (env.MCG_ALLOCATOR === 'system')
    return { env: {}, allocator: 'system malloc (MCG_ALLOCATOR=system)' };
  if (env.MCG_ALLOCATOR && env.MCG_ALLOCATOR !== 'jemalloc')
    throw new Error(
      `MCG_ALLOCATOR=${env.MCG_ALLOCATOR} is not known: use jemalloc (the default) or system`,
    );
  if (/libjemalloc/.test(preload))
    return { env: {}, allocator: 'jemalloc (from LD_PRELOAD)' };
  if (platform !== 'linux')
    return { env: {}, allocator: `system malloc (${platform})` };
  const lib = JEMALLOC.find(p => exists(p));
  if (!lib)
    return {
      env: {},
      allocator:
        'system malloc (jemalloc not installed: apt-get install libjemalloc2)',
    };
  return {
    env: { LD_PRELOAD: preload ? `${lib} ${preload}` : lib },
    allocator: 'jemalloc',
  };
}

module.exports = { allocatorEnv, JEMALLOC };
