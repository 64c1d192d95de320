import { PIPELINE_MANAGER } from '../../infra/emulators/bus/install-topology';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { localTopologyNames } from '../../events/topology-names';
import { ruleTable } from '../../events/rules';
import { runQuery } from '../../handlers/ports/query-engine';
import type { RunSummary } from '../../handlers/ports/run-store';
import { readQueryRows } from '../../handlers/stage-kit/read-query-rows';
import { busArn, deadLetterQueueArn, stageTargetArn } from '../../infra/emulators/bus/bus-arns';
import { EmbeddedRuntime } from '../../infra/local/runtime/embedded-runtime';

/** A fresh temp directory; the caller removes it. */
export function tempDir(prefix: string): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), `trib-it-${prefix}-`));
}

/**
 * Temp directories for one describe block, removed after it: call in the block's body, then
 * `await dir('prefix')` in its tests.
 */
export function tempDirs(): (prefix: string) => Promise<string> {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await fs.rm(dir, { recursive: true, force: true });
  });
  return async (prefix) => {
    const dir = await tempDir(prefix);
    dirs.push(dir);
    return dir;
  };
}

/** Opens the embedded runtime on a home with test-friendly retry backoff and no console alerts. */
export function openRuntime(home: string): Promise<EmbeddedRuntime> {
  return EmbeddedRuntime.open({ home, consoleAlerts: false, backoffBaseMs: 20, backoffMaxMs: 500 });
}

/**
 * Drops files into the raw zone the way `tributary drop` does: each is written whole outside the zone,
 * then renamed into `<home>/lake/raw/<key>`, so the watcher sees only complete files.
 */
export async function dropFiles(home: string, files: ReadonlyArray<{ key: string; body: Buffer | string }>): Promise<void> {
  const staging = path.join(home, 'drop-staging');
  await fs.mkdir(staging, { recursive: true });
  for (const file of files) {
    const tmp = path.join(staging, randomUUID());
    await fs.writeFile(tmp, file.body);
    const target = path.join(home, 'lake', 'raw', ...file.key.split('/'));
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.rename(tmp, target);
  }
}

/** Reads sample files (keys relative to `sampleDir`) into memory, for dropping. */
export async function readSample(sampleDir: string, keys: readonly string[]): Promise<Array<{ key: string; body: Buffer }>> {
  return Promise.all(keys.map(async (key) => ({ key, body: await fs.readFile(path.join(sampleDir, ...key.split('/'))) })));
}

/** Waits until the runtime is quiescent, failing the test on timeout; `failStalled: false` when the test holds deliveries back. */
export async function settle(rt: EmbeddedRuntime, timeoutMs = 120_000, options: { failStalled?: boolean } = {}): Promise<void> {
  if (!(await rt.waitUntilQuiescent({ timeoutMs, ...options }))) throw new Error(`pipeline not quiescent after ${timeoutMs} ms`);
}

/** Runs a read query and returns its rows (Athena strings), failing loudly if the query fails. */
export async function queryRows(rt: EmbeddedRuntime, sql: string): Promise<Array<Record<string, string | undefined>>> {
  const execution = await runQuery(rt.query, { QueryString: sql });
  if (execution.Status.State !== 'SUCCEEDED') throw new Error(`${sql}: ${execution.Status.State} ${execution.Status.StateChangeReason ?? ''}`);
  return readQueryRows(rt.query, execution.QueryExecutionId);
}

/** A whole table as sorted JSON lines of every column (column order fixed by name), for row-for-row comparison. */
export async function dumpTable(rt: EmbeddedRuntime, table: string): Promise<string[]> {
  const rows = await queryRows(rt, `SELECT * FROM ${table}`);
  return rows.map((row) => JSON.stringify(Object.keys(row).sort().map((k) => [k, row[k] ?? null]))).sort();
}

/** Row count of a table. */
export async function countRows(rt: EmbeddedRuntime, table: string): Promise<number> {
  const [row] = await queryRows(rt, `SELECT count(*) AS n FROM ${table}`);
  return Number(row?.['n']);
}

/** Every run in run state. */
export async function allRuns(rt: EmbeddedRuntime): Promise<RunSummary[]> {
  const runs: RunSummary[] = [];
  let cursor: string | undefined;
  do {
    const page = await rt.deps.runs.listRuns({ limit: 500, ...(cursor ? { cursor } : {}) });
    runs.push(...page.runs);
    cursor = page.cursor;
  } while (cursor);
  return runs;
}

/** Counts runs by `<lastStage>:<lastStatus>`. */
export function runCensus(runs: readonly RunSummary[]): Record<string, number> {
  const census: Record<string, number> = {};
  for (const r of runs) census[`${r.lastStage}:${r.lastStatus}`] = (census[`${r.lastStage}:${r.lastStatus}`] ?? 0) + 1;
  return census;
}

/**
 * Makes the bus deliver every event twice: each rule of the topology gets a second target with the
 * same stage (so every matching event is delivered to the stage twice, concurrently), and the rule
 * that forwards service events from `default` to our bus gets a second target too (so every S3, Glue,
 * Athena and SageMaker event arrives on our bus twice). Nothing is faked: the bus does the delivering.
 */
export async function duplicateEveryDelivery(rt: EmbeddedRuntime): Promise<void> {
  // The pipeline's rules are managed: only a call made as their manager may add targets.
  const pipeline = { managedBy: PIPELINE_MANAGER };
  for (const row of ruleTable(localTopologyNames)) {
    await rt.bus.putTargets({
      Rule: row.id,
      EventBusName: row.eventBusName,
      Targets: [
        {
          Id: `${row.target}-again`,
          Arn: stageTargetArn(row.target),
          RetryPolicy: { MaximumEventAgeInSeconds: row.retryPolicy.maximumEventAgeInSeconds, MaximumRetryAttempts: row.retryPolicy.maximumRetryAttempts },
          DeadLetterConfig: { Arn: deadLetterQueueArn(row.deadLetterQueue) },
        },
      ],
    }, pipeline);
  }
  await rt.bus.putTargets({ Rule: 'tributary-service-events', EventBusName: 'default', Targets: [{ Id: 'tributary-again', Arn: busArn(localTopologyNames.busName) }] }, pipeline);
}

/** Deterministic shuffle (mulberry32), so a failing order can be reproduced. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  let s = seed >>> 0;
  const next = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** How two sorted row dumps differ: counts of rows only in one side and a few examples (empty when equal). */
export function tableDiff(expected: readonly string[], actual: readonly string[]): { missing: number; extra: number; examples: string[] } {
  const count = (rows: readonly string[]): Map<string, number> => {
    const m = new Map<string, number>();
    for (const r of rows) m.set(r, (m.get(r) ?? 0) + 1);
    return m;
  };
  const want = count(expected);
  const got = count(actual);
  const missing: string[] = [];
  const extra: string[] = [];
  for (const [row, n] of want) for (let i = got.get(row) ?? 0; i < n; i++) missing.push(row);
  for (const [row, n] of got) for (let i = want.get(row) ?? 0; i < n; i++) extra.push(row);
  return { missing: missing.length, extra: extra.length, examples: [...missing.slice(0, 2).map((r) => `- ${r}`), ...extra.slice(0, 2).map((r) => `+ ${r}`)] };
}

/** What tableDiff returns for equal tables. */
export const NO_DIFF = { missing: 0, extra: 0, examples: [] };

/** The refined and forecast tables every invariant test compares against. */
export const REFINED = 'tributary_refined.traffic';
export const FORECAST = 'tributary_forecast.traffic';

/** A table dump of both compared tables (sorted rows, all columns). */
export interface TableDumps {
  readonly refined: string[];
  readonly forecast: string[];
}

/** Both compared tables of a runtime's home. */
export async function dumpTables(rt: EmbeddedRuntime): Promise<TableDumps> {
  return { refined: await dumpTable(rt, REFINED), forecast: await dumpTable(rt, FORECAST) };
}

/** The tables of one clean run: a fresh home, every sample file dropped at once, run until quiescent. */
export async function cleanRun(home: string, sampleDir: string, keys: readonly string[]): Promise<TableDumps> {
  const rt = await openRuntime(home);
  try {
    await dropFiles(home, await readSample(sampleDir, keys));
    await settle(rt);
    return await dumpTables(rt);
  } finally {
    await rt.close();
  }
}
