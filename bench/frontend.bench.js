#!/usr/bin/env node
/*
 * The frontend benchmark, kept next to the frontend plugin's browser tests that it
 * shares helpers with: the Fleet tab on 2,000 clusters x 20 apps in Debian's Chromium, time to
 * first render and time to apply a filter, as a table. Same flags as the script it runs.
 *
 *   node bench/frontend.bench.js [--clusters 2000] [--apps 20] [--json out.json]
 *
 * --hubs N (N > 1) measures the Fleet page on N simulated hubs instead: first render, a
 * filter, long tasks while scrolling the application matrix, the JS heap after GC and the
 * bytes of /v1/fleet against the targets, e.g. the 210,000 applications:
 *
 *   node bench/frontend.bench.js --hubs 3 --clusters 3500 --apps 20 [--json out.json]
 */
'use strict';
require('../plugins/multicloud-gitops/e2e/bench.js');
