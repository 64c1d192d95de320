/**
 * Dispatch throughput of the pattern engine against 10, 100, 1,000 and 10,000 rules.
 *
 * Run: `npm run bench:patterns` (table) or `npm run bench:patterns -- --json` (one JSON object).
 * The rule mix is what a busy bus holds: every rule pins its `source` (as EventBridge rules do in
 * practice), 90 % also pin a `detail-type`, and their detail filters mix exact values, prefix,
 * suffix, numeric ranges, anything-but, exists, wildcard, cidr, equals-ignore-case and `$or`.
 * Larger tables have more sources (one per 50 rules, five detail-types each), as they do when more
 * teams subscribe. Events are drawn from the same sources plus 20 % that no rule pins. Events are
 * matched from their JSON text, as the bus receives them, so the figures include the parse (exact
 * for numbers beyond double precision). Each size is measured 5 times for at least 400 ms; the
 * median is reported.
 */
import { RuleDispatcher } from '../../events/dispatcher';

const SIZES = [10, 100, 1000, 10000] as const;
const RUNS = 5;
const MIN_MS = 400;

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STATES = ['CREATED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'STOPPED'];
const REGIONS = ['eu-west-1', 'us-east-1', 'ap-south-1'];

function detailFilter(r: () => number, i: number): Record<string, unknown> {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  switch (i % 10) {
    case 0: return { state: [pick(STATES)] };
    case 1: return { key: [{ prefix: `orders/${Math.floor(r() * 20)}` }] };
    case 2: return { amount: [{ numeric: ['>', Math.floor(r() * 500), '<=', 1000] }] };
    case 3: return { state: [{ 'anything-but': [pick(STATES), pick(STATES)] }] };
    case 4: return { customer: { tier: [{ exists: true }] }, region: [pick(REGIONS)] };
    case 5: return { key: [{ wildcard: `orders/*/${Math.floor(r() * 10)}.json` }] };
    case 6: return { ip: [{ cidr: `10.${Math.floor(r() * 4)}.0.0/16` }] };
    case 7: return { region: [{ 'equals-ignore-case': pick(REGIONS).toUpperCase() }] };
    case 8: return { $or: [{ state: [pick(STATES)] }, { amount: [{ numeric: ['>=', 900] }] }] };
    default: return { key: [{ suffix: `${Math.floor(r() * 10)}.json` }], tags: [pick(['a', 'b', 'c'])] };
  }
}

function makeRules(n: number): { pattern: Record<string, unknown> }[] {
  const r = prng(n);
  const sources = Math.max(1, Math.ceil(n / 50));
  return Array.from({ length: n }, (_, i) => {
    const source = `app.team${i % sources}`;
    const pattern: Record<string, unknown> = { source: [source], detail: detailFilter(r, i) };
    if (r() < 0.9) pattern['detail-type'] = [`Event${Math.floor(r() * 5)}`];
    return { pattern };
  });
}

function makeEvents(n: number, count: number): Record<string, unknown>[] {
  const r = prng(n + 7);
  const sources = Math.max(1, Math.ceil(n / 50));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  return Array.from({ length: count }, (_, i) => ({
    version: '0',
    id: `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`,
    'detail-type': `Event${Math.floor(r() * 5)}`,
    source: r() < 0.2 ? `app.unknown${i % 7}` : `app.team${Math.floor(r() * sources)}`,
    account: '000000000000',
    time: '2026-11-22T10:00:00Z',
    region: pick(REGIONS),
    resources: [`arn:aws:s3:::bucket-${i % 3}`],
    detail: {
      state: pick(STATES),
      key: `orders/${Math.floor(r() * 20)}/${Math.floor(r() * 10)}.json`,
      amount: Math.floor(r() * 1000),
      customer: r() < 0.5 ? { tier: pick(['gold', 'silver']) } : { id: i },
      region: pick(REGIONS),
      ip: `10.${Math.floor(r() * 8)}.${Math.floor(r() * 255)}.${Math.floor(r() * 255)}`,
      tags: [pick(['a', 'b', 'c']), pick(['a', 'b', 'c'])],
    },
  }));
}

function measure(n: number): { eventsPerSecond: number; matchesPerEvent: number } {
  const dispatcher = new RuleDispatcher(makeRules(n));
  const events = makeEvents(n, 20000).map((event) => JSON.stringify(event));
  let matched = 0;
  for (const e of events) matched += dispatcher.match(e).length;
  const rates: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    let done = 0;
    const start = process.hrtime.bigint();
    let elapsedMs = 0;
    while (elapsedMs < MIN_MS) {
      for (const e of events) dispatcher.match(e);
      done += events.length;
      elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
    }
    rates.push(done / (elapsedMs / 1000));
  }
  rates.sort((a, b) => a - b);
  return { eventsPerSecond: Math.round(rates[Math.floor(RUNS / 2)] ?? 0), matchesPerEvent: matched / events.length };
}

function main(): void {
  const json = process.argv.includes('--json');
  const results: Record<string, number> = {};
  const rows: string[] = [];
  for (const n of SIZES) {
    const { eventsPerSecond, matchesPerEvent } = measure(n);
    results[String(n)] = eventsPerSecond;
    rows.push(`| ${String(n).padStart(6)} | ${String(eventsPerSecond).padStart(12)} | ${matchesPerEvent.toFixed(2).padStart(17)} |`);
  }
  if (json) {
    process.stdout.write(`${JSON.stringify({ eventsPerSecond: results })}\n`);
    return;
  }
  process.stdout.write(`| rules  | events/s     | matches per event |\n|-------:|-------------:|------------------:|\n${rows.join('\n')}\n`);
  const slow = (results['100'] ?? 0) / (results['10000'] ?? 1);
  process.stdout.write(`10,000 rules vs 100 rules: ${slow.toFixed(2)}x slower (median of ${RUNS} runs of >= ${MIN_MS} ms)\n`);
}

main();
