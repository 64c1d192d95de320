/**
 * Microbenchmark of one compiled pattern call (not a test): prints nanoseconds per match.
 *
 * Run: `npx tsx test/events/pattern/microbench.ts` (add `--json` for one JSON object).
 */
import { compilePattern } from '../../../events/pattern';

const event = {
  version: '0',
  id: '1',
  'detail-type': 'Object Created',
  source: 'aws.s3',
  account: '000000000000',
  time: '2026-01-01T00:00:00Z',
  region: 'us-east-1',
  resources: ['arn:aws:s3:::tributary-raw'],
  detail: {
    bucket: { name: 'tributary-raw' },
    object: { key: 'sales/2026/01/01/part-0001.csv', size: 52311, etag: 'abc' },
    reason: 'PutObject',
    records: [
      { sku: 'A', qty: 1 },
      { sku: 'B', qty: 2 },
    ],
  },
};

const cases: Record<string, unknown> = {
  exact: { source: ['aws.s3'], 'detail-type': ['Object Created'], detail: { bucket: { name: ['tributary-raw'] } } },
  'exact-miss': { source: ['aws.s3'], 'detail-type': ['Object Created'], detail: { bucket: { name: ['other'] } } },
  operators: {
    source: ['aws.s3'],
    detail: { object: { key: [{ prefix: 'sales/' }], size: [{ numeric: ['>', 0, '<=', 1e9] }] }, reason: [{ 'anything-but': ['CopyObject'] }] },
  },
  wildcard: { detail: { object: { key: [{ wildcard: 'sales/*/part-*.csv' }] } } },
  'dotted-key': { 'detail.object.key': [{ suffix: '.csv' }] },
  'array-consistency': { detail: { records: { sku: ['B'], qty: [2] } } },
  or: { source: ['aws.s3'], $or: [{ detail: { reason: ['CopyObject'] } }, { detail: { object: { size: [{ numeric: ['>', 100] }] } } }] },
  'exists-false': { source: ['aws.s3'], detail: { versionId: [{ exists: false }] } },
};

const json = process.argv.includes('--json');
const results: Record<string, number> = {};
for (const [name, pattern] of Object.entries(cases)) {
  const matcher = compilePattern(pattern);
  const iterations = 300_000;
  let hits = 0;
  for (let i = 0; i < 20_000; i++) if (matcher(event)) hits++;
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) if (matcher(event)) hits++;
  const nsPerMatch = Number(process.hrtime.bigint() - started) / iterations;
  results[name] = Math.round(nsPerMatch);
  if (!json) console.log(`${name.padEnd(18)} ${nsPerMatch.toFixed(0).padStart(6)} ns/match  (matched: ${hits > 0})`);
}

/**
 * Many distinct compiled patterns called in random order: shows the cost once the compiled
 * working set no longer fits in cache (the situation of a dispatcher with thousands of rules).
 */
for (const count of [100, 10_000]) {
  const matchers = Array.from({ length: count }, (_, i) =>
    compilePattern({
      source: [`app.team${i % 200}`],
      'detail-type': [`Event${i % 5}`],
      detail: { object: { size: [{ numeric: ['>', i % 500] }] }, reason: [`Reason${i % 7}`] },
    }),
  );
  const order = Array.from({ length: 500_000 }, (_, i) => (i * 7919) % count);
  const probe = { ...event, source: 'app.team3', 'detail-type': 'Event3', detail: { ...event.detail, reason: 'Reason3' } };
  const started = process.hrtime.bigint();
  let hits = 0;
  for (const i of order) if (matchers[i]?.(probe)) hits++;
  const nsPerMatch = Number(process.hrtime.bigint() - started) / order.length;
  results[`distinct-${count}`] = Math.round(nsPerMatch);
  if (!json) console.log(`${`${count} patterns`.padEnd(18)} ${nsPerMatch.toFixed(0).padStart(6)} ns/match  (matched: ${hits > 0})`);
}
if (json) console.log(JSON.stringify({ nsPerMatch: results }));
