import type { RunStore, StageStatus } from '../ports/run-store';
import { forEachLimited } from './for-each-limited';

/** Transitions written at once: enough to hide DynamoDB's per-call latency, few enough to be polite. */
const IN_FLIGHT = 16;

/**
 * Moves many runs to the same stage status at one instant, a few writes at a time. Each write is the
 * run store's ordered, idempotent transition, so the order among runs does not matter.
 */
export async function transitionRuns(runs: RunStore, runIds: readonly string[], stage: string, status: StageStatus, at: string): Promise<void> {
  await forEachLimited(runIds, IN_FLIGHT, async (runId) => {
    await runs.transition({ runId, stage, status, at });
  });
}
