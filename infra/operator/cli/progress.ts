import type { RunStore } from '../../../handlers/ports/run-store';
import type { CliContext } from './cli-context';
import { formatDuration } from './format';
import { allRuns } from '../../../handlers/stage-kit/all-runs';

/**
 * Shows progress while `work` runs: every 3 s one stderr line with the elapsed time and the runs by
 * their last stage and status (or just the elapsed time when no run store is at hand).
 */
export async function withProgress<T>(ctx: CliContext, runs: Pick<RunStore, 'listRuns'> | undefined, work: Promise<T>): Promise<T> {
  const started = Date.now();
  const ticker = setInterval(() => {
    const elapsed = formatDuration(Date.now() - started);
    if (!runs) return ctx.err(`    … ${elapsed}`);
    void allRuns(runs).then(
      (list) => {
        const counts = new Map<string, number>();
        for (const r of list) {
          // A run no stage has touched yet is just landed.
          const state = r.lastStage === undefined ? 'landed' : `${r.lastStage}:${r.lastStatus}`;
          counts.set(state, (counts.get(state) ?? 0) + 1);
        }
        ctx.err(`    … ${elapsed}: ${list.length} runs — ${[...counts].map(([k, v]) => `${v} ${k}`).join(', ')}`);
      },
      () => ctx.err(`    … ${elapsed}`),
    );
  }, 3000);
  try {
    return await work;
  } finally {
    clearInterval(ticker);
  }
}
