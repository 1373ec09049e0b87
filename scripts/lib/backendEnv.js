'use strict';
/*
 * The environment the example backend runs in (`npm start`, `npm run dev` and the
 * reliability suite), so that what the suite measures is what a newcomer runs.
 *
 * MALLOC_MMAP_THRESHOLD_ (glibc, mallopt(3)): allocations from 16 KiB up get a mapping of
 * their own, returned to the OS when freed. Node allocates each socket read of an upstream
 * answer on the heap; by default glibc keeps those pages after they are freed (it only
 * trims the top of its heap), so one refused 50 MB answer left the backend 120 to 150 MiB
 * larger for good. With it, that memory goes back (docs/reliability.md). It costs a map and
 * an unmap per large allocation, about 5 µs a request (bench/README.md). Other C
 * libraries ignore it; a value already set wins.
 */
const MMAP_THRESHOLD_BYTES = 16 * 1024;

function backendEnv(env = process.env) {
  return {
    ...env,
    MALLOC_MMAP_THRESHOLD_:
      env.MALLOC_MMAP_THRESHOLD_ ?? String(MMAP_THRESHOLD_BYTES),
  };
}

module.exports = { backendEnv, MMAP_THRESHOLD_BYTES };
