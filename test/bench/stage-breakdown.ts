/**
 * Where a run's landing → forecast time goes: for each run, the instant of each milestone of its
 * chain, from run state (stage starts and ends) and the bus archive (`<home>/bus/archives/<name>/`,
 * every event the pipeline's bus accepted, with its ingestion time). Used by `bench:scale`.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { SegmentedLog } from '../../infra/emulators/bus/segmented-log';
import { LOCAL_ARCHIVE } from '../../infra/local/runtime/embedded-runtime';

/** The milestones of a run's chain, in chain order. */
export const MILESTONES = [
  'RawLanded',
  'raw TableCrawled',
  'refine start',
  'refine end',
  'RefinedWritten',
  'refined TableCrawled',
  'forecast transform start',
  'ForecastReady',
  'forecast end',
] as const;

/** One milestone. */
export type Milestone = (typeof MILESTONES)[number];

/** What run state says of one run: its landing and its stages' timings. */
export interface RunTimes {
  readonly runId: string;
  readonly landedAt: string;
  readonly stages: readonly { readonly stage: string; readonly startedAt?: string; readonly endedAt?: string }[];
}

/** One row of the breakdown: a milestone, the median time from landing to it and from the milestone before it, the max from landing. */
export interface BreakdownRow {
  readonly milestone: Milestone;
  readonly runs: number;
  readonly fromLandingMs: number;
  readonly fromPreviousMs: number;
  readonly maxFromLandingMs: number;
}

const ArchivedSchema = z.object({
  at: z.number(),
  ev: z.object({ 'detail-type': z.string(), detail: z.record(z.string(), z.unknown()) }),
});

const DetailSchema = z.object({ runId: z.string().optional(), runIds: z.array(z.string()).optional(), zone: z.string().optional() });

/** The median of some numbers (NaN for none). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length === 0 ? Number.NaN : s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/** Per milestone, the first instant (epoch ms) each run reached it. */
async function milestoneTimes(home: string, runs: readonly RunTimes[]): Promise<Map<string, Map<Milestone, number>>> {
  const times = new Map<string, Map<Milestone, number>>(runs.map((r) => [r.runId, new Map()]));
  const first = (runId: string, milestone: Milestone, at: number): void => {
    const entry = times.get(runId);
    if (entry && !(entry.get(milestone) !== undefined && (entry.get(milestone) ?? 0) <= at)) entry.set(milestone, at);
  };
  for (const run of runs) {
    for (const stage of run.stages) {
      const at = (iso: string | undefined): number | undefined => (iso === undefined ? undefined : Date.parse(iso));
      const started = at(stage.startedAt);
      const ended = at(stage.endedAt);
      if (stage.stage === 'refine' && started !== undefined) first(run.runId, 'refine start', started);
      if (stage.stage === 'refine' && ended !== undefined) first(run.runId, 'refine end', ended);
      if (stage.stage === 'forecast' && started !== undefined) first(run.runId, 'forecast transform start', started);
      if (stage.stage === 'forecast' && ended !== undefined) first(run.runId, 'forecast end', ended);
    }
  }
  const refinedCrawls: number[] = [];
  await SegmentedLog.read(path.join(home, 'bus', 'archives', LOCAL_ARCHIVE), (raw) => {
    const record = ArchivedSchema.safeParse(raw);
    if (!record.success) return;
    const type = record.data.ev['detail-type'];
    const detail = DetailSchema.safeParse(record.data.ev.detail);
    if (!detail.success) return;
    const ids = [...(detail.data.runIds ?? []), ...(detail.data.runId === undefined ? [] : [detail.data.runId])];
    const at = record.data.at;
    if (type === 'RawLanded') for (const id of ids) first(id, 'RawLanded', at);
    if (type === 'TableCrawled' && detail.data.zone === 'raw') for (const id of ids) first(id, 'raw TableCrawled', at);
    if (type === 'TableCrawled' && detail.data.zone === 'refined') refinedCrawls.push(at);
    if (type === 'RefinedWritten') for (const id of ids) first(id, 'RefinedWritten', at);
    if (type === 'ForecastReady') for (const id of ids) first(id, 'ForecastReady', at);
  });
  refinedCrawls.sort((a, b) => a - b);
  // A refined crawl names no runs: a run's is the first one to end after its RefinedWritten.
  for (const entry of times.values()) {
    const written = entry.get('RefinedWritten');
    const crawl = written === undefined ? undefined : refinedCrawls.find((at) => at >= written);
    if (crawl !== undefined) entry.set('refined TableCrawled', crawl);
  }
  return times;
}

/**
 * The breakdown of the runs' landing → forecast time: per milestone (in chain order), the median
 * time from landing, the median time from the run's previous milestone it reached, and the max.
 */
export async function stageBreakdown(home: string, runs: readonly RunTimes[]): Promise<BreakdownRow[]> {
  const times = await milestoneTimes(home, runs);
  const landed = new Map(runs.map((r) => [r.runId, Date.parse(r.landedAt)]));
  return MILESTONES.map((milestone) => {
    const fromLanding: number[] = [];
    const fromPrevious: number[] = [];
    for (const [runId, entry] of times) {
      const at = entry.get(milestone);
      const start = landed.get(runId);
      if (at === undefined || start === undefined) continue;
      fromLanding.push(at - start);
      const before = MILESTONES.slice(0, MILESTONES.indexOf(milestone)).map((m) => entry.get(m)).filter((t): t is number => t !== undefined);
      fromPrevious.push(at - (before.length === 0 ? start : Math.max(...before)));
    }
    return { milestone, runs: fromLanding.length, fromLandingMs: median(fromLanding), fromPreviousMs: median(fromPrevious), maxFromLandingMs: fromLanding.length === 0 ? Number.NaN : Math.max(...fromLanding) };
  });
}

/** The breakdown as text lines, one per milestone. */
export function breakdownLines(rows: readonly BreakdownRow[]): string[] {
  const s = (ms: number): string => (Number.isNaN(ms) ? '–' : `${(ms / 1000).toFixed(2)} s`);
  return rows.map((r) => `    ${r.milestone.padEnd(26)} median ${s(r.fromLandingMs).padStart(9)} from landing, +${s(r.fromPreviousMs).padStart(9)} from the step before; max ${s(r.maxFromLandingMs)} (${r.runs} runs)`);
}

const JournalEntrySchema = z.object({
  execution: z.object({
    Query: z.string(),
    Status: z.object({ SubmissionDateTime: z.string() }),
    Statistics: z.object({ EngineExecutionTimeInMillis: z.number().optional(), QueryQueueTimeInMillis: z.number().optional() }),
  }),
});

/** What one kind of pipeline query cost in a stretch of time: how many ran, their median queue and engine times, and the engine time in all. */
export interface QueryKindTimes {
  readonly kind: string;
  readonly queries: number;
  readonly medianQueueMs: number;
  readonly medianEngineMs: number;
  readonly totalEngineMs: number;
}

/** The kind of a pipeline query, from its text. */
function queryKind(sql: string): string {
  if (sql.includes('AS "piece"')) return 'forecast input';
  if (sql.startsWith('UNLOAD (SELECT o.run_id')) return 'rejects';
  if (sql.startsWith('UNLOAD')) return 'refine window';
  if (/source_object/.test(sql)) return 'staged tally';
  return sql.replace(/\s+/g, ' ').slice(0, 40);
}

/** The pipeline's queries submitted since `sinceMs`, by kind (from the query journal, `<home>/query-engine/queries/`), most engine time first. */
export async function queryTimes(home: string, sinceMs: number): Promise<QueryKindTimes[]> {
  const dir = path.join(home, 'query-engine', 'queries');
  const names = await fs.readdir(dir).catch(() => []);
  const byKind = new Map<string, { queue: number[]; engine: number[] }>();
  for (const name of names.filter((n) => n.endsWith('.json'))) {
    const entry = JournalEntrySchema.safeParse(JSON.parse(await fs.readFile(path.join(dir, name), 'utf8').catch(() => 'null')));
    if (!entry.success || Date.parse(entry.data.execution.Status.SubmissionDateTime) < sinceMs) continue;
    const kind = queryKind(entry.data.execution.Query);
    const times = byKind.get(kind) ?? { queue: [], engine: [] };
    times.queue.push(entry.data.execution.Statistics.QueryQueueTimeInMillis ?? 0);
    times.engine.push(entry.data.execution.Statistics.EngineExecutionTimeInMillis ?? 0);
    byKind.set(kind, times);
  }
  return [...byKind].map(([kind, t]) => ({ kind, queries: t.engine.length, medianQueueMs: median(t.queue), medianEngineMs: median(t.engine), totalEngineMs: t.engine.reduce((a, b) => a + b, 0) })).sort((a, b) => b.totalEngineMs - a.totalEngineMs);
}

/** The query times as text lines, one per kind. */
export function queryTimeLines(kinds: readonly QueryKindTimes[]): string[] {
  const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
  return kinds.map((k) => `    ${k.kind.padEnd(40)} ${String(k.queries).padStart(4)} queries, median queued ${s(k.medianQueueMs)}, engine ${s(k.medianEngineMs)}; engine in all ${s(k.totalEngineMs)}`);
}
