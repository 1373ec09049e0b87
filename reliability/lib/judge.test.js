// node --test reliability/lib: how the suite judges what it recorded (overlapping runs of a
// scheduled task, audit records in a backend's log, memory levels and the soak's slope).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { overlaps, auditRecords } = require('./replicas');
const { slope, trendGrowth, minuteLevel } = require('./load');
const { medianReading, recoveryBoundMs } = require('./faults');

const run = (task, replica, claimed, released) => ({
  db: 'backstage_plugin_catalog',
  task,
  replica,
  claimed,
  released,
});

test('runs of a task one after the other do not overlap', () => {
  assert.deepEqual(
    overlaps([
      run('t', 'replica-a', 0, 10),
      run('t', 'replica-b', 10, 20),
      run('u', 'replica-a', 5, 15),
    ]),
    [],
  );
});

test('a run claimed before the previous one ended overlaps, in any order', () => {
  assert.deepEqual(
    overlaps([run('t', 'replica-b', 5, 12), run('t', 'replica-a', 0, 10)]),
    ['backstage_plugin_catalog/t: replica-a and replica-b'],
  );
});

test('a run never released overlaps every later run of the task', () => {
  assert.equal(
    overlaps([run('t', 'replica-a', 0, undefined), run('t', 'replica-b', 60)])
      .length,
    1,
  );
});

test('audit records are counted by status in the development and JSON formats', () => {
  const dev =
    '\x1b[2m2026-01-01T00:00:00Z\x1b[22m \x1b[34mmulticloud-gitops\x1b[39m info multicloud-gitops.application-sync \x1b[36misAuditEvent\x1b[39m=true \x1b[36mstatus\x1b[39m="succeeded"';
  const json =
    '{"isAuditEvent":true,"message":"multicloud-gitops.application-sync","status":"initiated"}';
  const other =
    '{"isAuditEvent":true,"message":"catalog.entity-fetch","status":"succeeded"}';
  const notAudit =
    'multicloud-gitops info sync of hub/vault status="succeeded"';
  assert.deepEqual(
    auditRecords([dev, json, other, notAudit].join('\n'), 'application-sync'),
    { succeeded: 1, initiated: 1 },
  );
});

test('the slope is the least-squares one, in units of y per x', () => {
  assert.equal(slope([1, 2, 3, 4], [10, 12, 14, 16]), 2);
  assert.ok(Math.abs(slope([1, 2, 3], [5, 4, 5.5]) - 0.25) < 1e-9);
});

test("the trend's growth is its rise over the run against its first fitted level", () => {
  // A line from 100 to 110 over minutes 1-11 is 10 % growth, however noisy around it.
  assert.ok(
    Math.abs(
      trendGrowth(
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
        [100, 111, 92, 113, 94, 115, 96, 117, 98, 119, 110],
      ) - 0.1,
    ) < 0.05,
  );
  assert.equal(trendGrowth([1, 2, 3], [100, 100, 100]), 0);
});

test('a memory level is the median reading, whole, so one trough or peak cannot move it', () => {
  const r = (rssMiB, heapUsedMiB) => ({ rssMiB, heapUsedMiB });
  // A trough (413) among readings around 500 MiB: the level stays at the process's own.
  assert.deepEqual(
    medianReading([r(505, 90), r(413, 88), r(512, 91), r(498, 89), r(520, 92)]),
    r(505, 90),
  );
  // An even count takes the lower middle; the input is left in its order.
  const xs = [r(10, 1), r(40, 4), r(20, 2), r(30, 3)];
  assert.deepEqual(medianReading(xs), r(20, 2));
  assert.deepEqual(
    xs.map(x => x.rssMiB),
    [10, 40, 20, 30],
  );
  assert.throws(() => medianReading([]), /no readings/);
});

test("a soak minute's level: the median reading's memory and the minute's worst delay", () => {
  const r = (rssMiB, p99, max) => ({
    rssMiB,
    heapUsedMiB: rssMiB / 5,
    eventLoopDelayMs: { p50: 1, p99, max },
  });
  const m = minuteLevel([r(600, 12, 30), r(450, 40, 90), r(470, 11, 20)]);
  assert.equal(m.rssMiB, 470);
  assert.equal(m.heapUsedMiB, 94);
  assert.deepEqual(m.eventLoopDelayMs, { p50: 1, p99: 40, max: 90 });
});

test("a fault's recovery is bounded by its sources' retry interval and one try", () => {
  // Search is retried within its poll interval (2 s in the suite's config).
  assert.equal(recoveryBoundMs({ affects: ['search'] }), 7000);
  // ACM's backoff is capped at 10 s, with up to 25 % jitter.
  assert.equal(recoveryBoundMs({ affects: ['acm'] }), 17500);
  // A scenario that may affect several sources waits for the slowest.
  assert.equal(
    recoveryBoundMs({ affects: [], mayAffect: ['acm', 'argocd/hub-gitops'] }),
    42500,
  );
  // Nothing affected: every source must stay ok, or be back within one try.
  assert.equal(recoveryBoundMs({ affects: [] }), 5000);
});
