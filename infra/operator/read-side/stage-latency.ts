import type { RunStore } from '../../../handlers/ports/run-store';
import { stageSpans } from './stage-spans';

/**
 * How long one stage took over some runs: how many ran it, the median and the longest time it worked
 * (start to end), and the median time it waited before starting, in ms.
 */
export interface StageLatency {
  readonly stage: string;
  readonly runs: number;
  readonly medianMs: number;
  readonly maxMs: number;
  readonly medianWaitMs: number;
}

function median(xs: readonly number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
}

function summarize(stage: string, work: readonly number[], wait: readonly number[]): StageLatency {
  return { stage, runs: work.length, medianMs: median(work), maxMs: Math.max(0, ...work), medianWaitMs: median(wait) };
}

/**
 * Per-stage latency over the given runs, every stage of each run's chain as its timeline shows it
 * (stage-spans.ts), in chain order (by median start), and the landing-to-last-stage time as
 * `endToEnd`: what the demo reports and the pipeline page shows.
 */
export async function stageLatencies(runs: Pick<RunStore, 'getRun'>, runIds: readonly string[]): Promise<{ stages: StageLatency[]; endToEnd: StageLatency }> {
  const byStage = new Map<string, { work: number[]; wait: number[]; start: number[] }>();
  const endToEnd: number[] = [];
  for (const id of runIds) {
    const detail = await runs.getRun(id);
    if (!detail) continue;
    const spans = stageSpans(detail);
    for (const s of spans) {
      const x = byStage.get(s.stage) ?? { work: [], wait: [], start: [] };
      x.work.push(s.endMs - s.startMs);
      x.wait.push(s.startMs - s.queuedMs);
      x.start.push(s.startMs);
      byStage.set(s.stage, x);
    }
    if (spans.length > 0) endToEnd.push(Math.max(...spans.map((s) => s.endMs)));
  }
  const stages = [...byStage].sort(([, a], [, b]) => median(a.start) - median(b.start)).map(([stage, x]) => summarize(stage, x.work, x.wait));
  return { stages, endToEnd: summarize('landing → last stage', endToEnd, []) };
}
