import type { RunDetail, RunStore, StageRecord } from '../../../handlers/ports/run-store';

/** A stage of a run as a span on its timeline: milliseconds from the landing to its start and end. */
export interface StageSpan {
  readonly stage: string;
  readonly status: StageRecord['status'];
  readonly attempts: number;
  readonly startMs: number;
  readonly endMs: number;
}

/** How a run's rows balance: read = refined + rejected + duplicates (DESIGN.md invariant 7). */
export interface RowAccounting {
  readonly atLanding?: number;
  readonly read: number;
  readonly refined: number;
  readonly rejected: number;
  readonly duplicates: number;
  readonly balanced: boolean;
}

/** One run as `tributary run <id>` and the console's run panel show it. */
export interface RunView extends RunDetail {
  readonly spans: readonly StageSpan[];
  readonly rows?: RowAccounting;
}

/**
 * Reads one run and derives its stage spans and its row accounting; undefined when the run does not
 * exist. A stage recorded without a start (an announce: its work was the service's, a crawl or a
 * query) starts when it was made pending, else where the stage before it ended; one not ended ends
 * at its last update.
 */
export async function describeRun(runs: Pick<RunStore, 'getRun'>, runId: string): Promise<RunView | undefined> {
  const detail = await runs.getRun(runId);
  if (!detail) return undefined;
  const landed = Date.parse(detail.run.landedAt);
  let previousEnd = landed;
  const spans = [...detail.stages]
    .sort((a, b) => Date.parse(a.endedAt ?? a.updatedAt) - Date.parse(b.endedAt ?? b.updatedAt))
    .map((s) => {
      const end = Date.parse(s.endedAt ?? s.updatedAt);
      const start = Math.min(end, s.startedAt ?? s.pendingAt ? Date.parse(s.startedAt ?? s.pendingAt ?? '') : previousEnd);
      previousEnd = Math.max(previousEnd, end);
      return { stage: s.stage, status: s.status, attempts: s.attempts, startMs: start - landed, endMs: end - landed };
    })
    .sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs);
  const c = detail.run.rowCounts;
  const rows: RowAccounting | undefined = c === undefined ? undefined : {
    ...(detail.run.rowsAtLanding !== undefined ? { atLanding: detail.run.rowsAtLanding } : {}),
    ...c,
    balanced: c.read === c.refined + c.rejected + c.duplicates && (detail.run.rowsAtLanding === undefined || detail.run.rowsAtLanding === c.read),
  };
  return { ...detail, spans, ...(rows ? { rows } : {}) };
}
