import type { RunDetail, RunStore } from '../../../handlers/ports/run-store';
import { stageSpans, type StageSpan } from './stage-spans';

export type { StageSpan } from './stage-spans';

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
 * Reads one run and derives its stage spans (stage-spans.ts: when each stage waited, started and
 * ended) and its row accounting; undefined when the run does not exist.
 */
export async function describeRun(runs: Pick<RunStore, 'getRun'>, runId: string): Promise<RunView | undefined> {
  const detail = await runs.getRun(runId);
  if (!detail) return undefined;
  const spans = stageSpans(detail);
  const c = detail.run.rowCounts;
  const rows: RowAccounting | undefined = c === undefined ? undefined : {
    ...(detail.run.rowsAtLanding !== undefined ? { atLanding: detail.run.rowsAtLanding } : {}),
    ...c,
    balanced: c.read === c.refined + c.rejected + c.duplicates && (detail.run.rowsAtLanding === undefined || detail.run.rowsAtLanding === c.read),
  };
  return { ...detail, spans, ...(rows ? { rows } : {}) };
}
