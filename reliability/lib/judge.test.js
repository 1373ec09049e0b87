// node --test reliability/lib: how the suite judges what it recorded (overlapping runs of a
// scheduled task, audit records in a backend's log, the soak's memory slope).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { overlaps, auditRecords } = require('./replicas');
const { slope, trendGrowth } = require('./load');

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
