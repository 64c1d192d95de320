/**
 * Where a benchmark's time goes, per stage: every stage handler's invocations (timed around the
 * handler), the jobs they start (queries from their Athena state changes, crawls from the crawler's
 * state changes, transforms from their state changes, all on the bus), and each query attributed to
 * the stage that started it. Attach before the drop; `report` after quiescence.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { EmbeddedRuntime } from '../../infra/local/runtime/embedded-runtime';
import { stages } from '../../handlers/stages';
import { StageId } from '../../events/stage-ids';

interface Span {
  readonly name: string;
  readonly start: number;
  readonly end: number;
  /** A query's time running on a connection and waiting for one (the engine's statistics). */
  engineMs?: number;
  queuedMs?: number;
}

/** One line of the breakdown: how often a part ran, its summed time, its wall time (union of its spans) and when it first started and last ended, from t0. */
export interface StagePart {
  readonly part: string;
  readonly count: number;
  readonly sumMs: number;
  readonly wallMs: number;
  readonly firstMs: number;
  readonly lastMs: number;
  /** Queries only: their summed time running on a connection, and waiting for one. */
  readonly engineMs?: number;
  readonly queuedMs?: number;
}

/** The brief's stage groups, each the parts it is made of (a prefix of a part's name). */
const GROUPS: readonly (readonly [string, readonly string[]])[] = [
  ['landing / inspection', [`stage ${StageId.RegisterLanding}`, 'inspect']],
  ['raw crawl', ['crawl raw', `stage ${StageId.RequestCrawl}`, `stage ${StageId.AnnounceCrawl}`]],
  ['refine (plan, rejects, queries)', [`stage ${StageId.Refine}`, `query by ${StageId.Refine}`]],
  ['swap (announce-refined)', [`stage ${StageId.AnnounceRefined}`, `query by ${StageId.AnnounceRefined}`]],
  ['refined crawl', ['crawl refined']],
  ['views', [`stage ${StageId.PublishViews}`, `query by ${StageId.PublishViews}`]],
  ['forecast', [`stage ${StageId.Forecast}`, `query by ${StageId.Forecast}`, 'transform', `stage ${StageId.AnnounceForecast}`, 'crawl forecast']],
];

function union(spans: readonly Span[]): number {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  let total = 0;
  let [from, to] = [Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY];
  for (const s of sorted) {
    if (s.start > to) {
      if (to > from) total += to - from;
      [from, to] = [s.start, s.end];
    } else to = Math.max(to, s.end);
  }
  return total + (to > from ? to - from : 0);
}

function summarise(part: string, spans: readonly Span[], t0: number): StagePart {
  const timed = spans.filter((s) => s.engineMs !== undefined);
  const engine = timed.length === 0 ? {} : { engineMs: timed.reduce((n, s) => n + (s.engineMs ?? 0), 0), queuedMs: timed.reduce((n, s) => n + (s.queuedMs ?? 0), 0) };
  return {
    ...engine,
    part,
    count: spans.length,
    sumMs: spans.reduce((n, s) => n + s.end - s.start, 0),
    wallMs: union(spans),
    firstMs: Math.min(...spans.map((s) => s.start)) - t0,
    lastMs: Math.max(...spans.map((s) => s.end)) - t0,
  };
}

/** Records the stages and jobs of one runtime. */
export class StageTimings {
  private readonly spans: Span[] = [];
  private readonly open = new Map<string, { name: string; start: number }>();
  private readonly queryStage = new Map<string, string>();
  private readonly current = new AsyncLocalStorage<string>();
  private readonly statistics: Promise<void>[] = [];

  /** Wraps every stage handler and the query engine's start, and listens to the bus's job state changes. */
  attach(rt: EmbeddedRuntime): void {
    for (const [id, stage] of Object.entries(stages)) {
      rt.bus.registerStageHandler(id, (event) => this.current.run(id, async () => {
        const start = Date.now();
        try {
          await stage(event, rt.deps);
        } finally {
          this.spans.push({ name: `stage ${id}`, start, end: Date.now() });
        }
      }));
    }
    const inspector = rt.deps.inspector;
    if (inspector) {
      const inspect = inspector.inspect.bind(inspector);
      inspector.inspect = async (key, body, manifest) => {
        const start = Date.now();
        try {
          return await inspect(key, body, manifest);
        } finally {
          this.spans.push({ name: 'inspect', start, end: Date.now() });
        }
      };
    }
    const query = rt.deps.query;
    const startQuery = query.startQueryExecution.bind(query);
    query.startQueryExecution = async (input) => {
      const started = await startQuery(input);
      this.queryStage.set(started.QueryExecutionId, this.current.getStore() ?? 'other');
      return started;
    };
    rt.bus.onEvent(({ event }) => {
      const now = Date.now();
      const detail = event.detail as Record<string, unknown>;
      if (event['detail-type'] === 'Athena Query State Change') {
        const id = String(detail['queryExecutionId']);
        const span = this.job(`query ${id}`, String(detail['currentState']), ['QUEUED', 'RUNNING'], now);
        if (span) {
          this.statistics.push(query.getQueryExecution(id).then((execution) => {
            span.engineMs = execution.Statistics?.EngineExecutionTimeInMillis;
            span.queuedMs = execution.Statistics?.QueryQueueTimeInMillis;
          }, () => undefined));
        }
      }
      else if (event['detail-type'] === 'Glue Crawler State Change') this.job(`crawl ${String(detail['crawlerName'])}`, String(detail['state']), ['Started'], now);
      else if (event['detail-type'] === 'SageMaker Transform Job State Change') this.job(`transform ${String(detail['TransformJobName'])}`, String(detail['TransformJobStatus']), ['InProgress'], now);
    });
  }

  /** Opens or closes a job's span; returns the span it closed. */
  private job(key: string, state: string, starting: readonly string[], now: number): Span | undefined {
    if (starting.includes(state)) {
      if (!this.open.has(key)) this.open.set(key, { name: key, start: now });
      return undefined;
    }
    const opened = this.open.get(key);
    if (!opened) return undefined;
    this.open.delete(key);
    const span: Span = { name: key, start: opened.start, end: now };
    this.spans.push(span);
    return span;
  }

  /** Resolves once the statistics of every query that ended so far have been read. */
  async settled(): Promise<void> {
    await Promise.all(this.statistics);
  }

  private partOf(name: string): string {
    if (name.startsWith('query ')) return `query by ${this.queryStage.get(name.slice('query '.length)) ?? 'other'}`;
    if (name.startsWith('crawl ')) return `crawl ${name.replace(/^.*-/, '')}`;
    if (name.startsWith('transform ')) return 'transform';
    return name;
  }

  /** Every part, in order of first start, and the brief's stage groups, both from t0 (the drop); call `settled` first for the queries' statistics. */
  report(t0: number): { parts: StagePart[]; groups: StagePart[] } {
    const byPart = new Map<string, Span[]>();
    for (const s of this.spans) byPart.set(this.partOf(s.name), [...(byPart.get(this.partOf(s.name)) ?? []), s]);
    const parts = [...byPart].map(([part, spans]) => summarise(part, spans, t0)).sort((a, b) => a.firstMs - b.firstMs);
    const groups = GROUPS.flatMap(([group, members]) => {
      const spans = [...byPart].filter(([part]) => members.some((m) => part.startsWith(m))).flatMap(([, s]) => s);
      return spans.length === 0 ? [] : [summarise(group, spans, t0)];
    });
    return { parts, groups };
  }
}

/** The breakdown as text lines: the stage groups, then every part. */
export function formatTimings(report: { parts: readonly StagePart[]; groups: readonly StagePart[] }, indent = '    '): string[] {
  const s = (ms: number): string => (ms / 1000).toFixed(2).padStart(7);
  const engine = (p: StagePart): string => (p.engineMs === undefined ? '' : `  (running ${(p.engineMs / 1000).toFixed(2)} s, waiting for a connection ${((p.queuedMs ?? 0) / 1000).toFixed(2)} s)`);
  const line = (p: StagePart): string => `${indent}${p.part.padEnd(34)} ${String(p.count).padStart(5)} ${s(p.sumMs)} ${s(p.wallMs)} ${s(p.firstMs)} ${s(p.lastMs)}${engine(p)}`;
  const head = `${indent}${'part'.padEnd(34)} ${'count'.padStart(5)} ${'sum s'.padStart(7)} ${'wall s'.padStart(7)} ${'from s'.padStart(7)} ${'to s'.padStart(7)}`;
  return [head, ...report.groups.map(line), `${indent}—`, ...report.parts.map(line)];
}
