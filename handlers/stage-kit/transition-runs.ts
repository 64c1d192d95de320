import type { RunStore, StageStatus } from '../ports/run-store';

/**
 * Moves many runs to the same stage status at one instant: the run store's `transitionMany`, which
 * reads their state in batches and applies each run's ordered, idempotent transition. `startedAt` is
 * the stage's start when it went to the runs' timelines only (`recordStarts`).
 */
export async function transitionRuns(runs: RunStore, runIds: readonly string[], stage: string, status: StageStatus, at: string, startedAt?: string): Promise<void> {
  if (runIds.length > 0) await runs.transitionMany(runIds.map((runId) => ({ runId, stage, status, at, ...(startedAt !== undefined ? { startedAt } : {}) })));
}
