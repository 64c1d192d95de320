import { StageStatus, type RunDetail, type StageRecord } from '../../../handlers/ports/run-store';
import { StageId } from '../../../events/stage-ids';

/**
 * A stage of a run on its timeline, in milliseconds from the landing: it waited from `queuedMs` (when
 * the step before it in the run's chain ended, or the landing) until it started at `startMs`, and
 * worked (or its service did: a crawl, a query, a transform) until `endMs`.
 */
export interface StageSpan {
  readonly stage: string;
  readonly status: StageRecord['status'];
  readonly attempts: number;
  readonly queuedMs: number;
  readonly startMs: number;
  readonly endMs: number;
}

/** A stage whose work a service does, and the announce step that hears it finish: the stage's span ends where the announcement's starts. */
const HANDS_OVER_TO: Readonly<Record<string, string>> = {
  [StageId.Refine]: StageId.AnnounceRefined,
  [StageId.Forecast]: StageId.AnnounceForecast,
};

const TERMINAL: ReadonlySet<string> = new Set([StageStatus.Succeeded, StageStatus.Failed, StageStatus.Quarantined]);

interface Raw {
  stage: string;
  status: StageRecord['status'];
  attempts: number;
  start: number | undefined;
  end: number;
}

/**
 * The run's stages as spans on one time axis. A stage's start and end come from its state in the run
 * (`startedAt`, `endedAt`) and else from its timeline (the `running` and `succeeded` entries a step
 * that keeps no state of its own records: crawl requests, announcements). A stage whose work a service
 * does (refine, forecast) ends where its announcement starts. Its wait runs from the latest end of a
 * stage before its start (or the landing) to its start: time queued behind other work, a crawl, or a
 * schedule. A stage with no start known starts when it was made pending, else where that wait began.
 */
export function stageSpans(detail: Pick<RunDetail, 'run' | 'stages' | 'timeline'>): StageSpan[] {
  const landed = Date.parse(detail.run.landedAt);
  const byStage = new Map<string, Raw>();
  const records = new Map(detail.stages.map((s) => [s.stage, s]));
  const timeline = [...detail.timeline].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  for (const stage of new Set([...detail.stages.map((s) => s.stage), ...timeline.map((t) => t.stage)])) {
    const record = records.get(stage);
    const entries = timeline.filter((t) => t.stage === stage);
    const lastStart = [...entries].reverse().find((t) => t.status === StageStatus.Running);
    const endEntry = entries.find((t) => TERMINAL.has(t.status) && (lastStart === undefined || Date.parse(t.at) >= Date.parse(lastStart.at)));
    const startIso = record?.startedAt ?? lastStart?.at ?? record?.pendingAt;
    const endIso = record?.endedAt ?? endEntry?.at ?? record?.updatedAt ?? lastStart?.at;
    if (endIso === undefined) continue;
    byStage.set(stage, {
      stage,
      status: record?.status ?? endEntry?.status ?? StageStatus.Running,
      attempts: record?.attempts ?? entries.filter((t) => t.status === StageStatus.Running).length,
      start: startIso === undefined ? undefined : Date.parse(startIso),
      end: Date.parse(endIso),
    });
  }
  for (const [stage, next] of Object.entries(HANDS_OVER_TO)) {
    const s = byStage.get(stage);
    const n = byStage.get(next)?.start;
    if (s && n !== undefined && (s.start === undefined || n >= s.start) && n < s.end) s.end = n;
  }
  const raws = [...byStage.values()].sort((a, b) => (a.start ?? a.end) - (b.start ?? b.end) || a.end - b.end);
  return raws.map((r) => {
    const queued = Math.max(landed, ...raws.filter((o) => o !== r && o.end <= (r.start ?? r.end)).map((o) => o.end));
    const start = Math.min(r.end, r.start ?? queued);
    return { stage: r.stage, status: r.status, attempts: r.attempts, queuedMs: Math.min(queued, start) - landed, startMs: start - landed, endMs: r.end - landed };
  });
}
