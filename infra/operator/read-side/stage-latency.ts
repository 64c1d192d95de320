import type { RunStore } from '../../../handlers/ports/run-store';

/** How long one stage took over some runs: how many ran it, the median and the longest, in ms. */
export interface StageLatency {
  readonly stage: string;
  readonly runs: number;
  readonly medianMs: number;
  readonly maxMs: number;
}

function summarize(stage: string, xs: readonly number[]): StageLatency {
  const sorted = [...xs].sort((a, b) => a - b);
  return { stage, runs: xs.length, medianMs: sorted[Math.floor(sorted.length / 2)] ?? 0, maxMs: sorted[sorted.length - 1] ?? 0 };
}

/**
 * Per-stage latency (start to end of each stage that has both) over the given runs, and the
 * landing-to-last-stage time as `endToEnd`: what the demo reports and the pipeline page shows.
 */
export async function stageLatencies(runs: Pick<RunStore, 'getRun'>, runIds: readonly string[]): Promise<{ stages: StageLatency[]; endToEnd: StageLatency }> {
  const spans = new Map<string, number[]>();
  const endToEnd: number[] = [];
  for (const id of runIds) {
    const detail = await runs.getRun(id);
    if (!detail) continue;
    for (const s of detail.stages) {
      if (!s.startedAt || !s.endedAt) continue;
      spans.set(s.stage, [...(spans.get(s.stage) ?? []), Date.parse(s.endedAt) - Date.parse(s.startedAt)]);
    }
    const last = detail.stages.map((s) => s.endedAt ?? s.updatedAt).sort().pop();
    if (last) endToEnd.push(Date.parse(last) - Date.parse(detail.run.landedAt));
  }
  return { stages: [...spans].map(([stage, xs]) => summarize(stage, xs)), endToEnd: summarize('landing → last stage', endToEnd) };
}
