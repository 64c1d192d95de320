import type { RunStore, StageStatus } from '../ports/run-store';

/**
 * Moves many runs to the same stage status at one instant: the run store's `transitionMany`, which
 * reads their state in batches and applies each run's ordered, idempotent transition.
 */
export async function transitionRuns(runs: RunStore, runIds: readonly string[], stage: string, status: StageStatus, at: string): Promise<void> {
  if (runIds.length > 0) await runs.transitionMany(runIds.map((runId) => ({ runId, stage, status, at })));
}
