import type { StageDeps } from '../../handlers/stage-deps';
import { partitionOfHour, partitionPath } from '../../handlers/stage-kit/hours';
import type { EmbeddedRuntime } from '../../infra/local/runtime/embedded-runtime';

/** The shipped dataset's partition keys. */
export const KEYS = ['year', 'month', 'day', 'hour'] as const;

/** The forecast table's `k=v/…` path of an origin hour. */
export function originPath(origin: number): string {
  return partitionPath(partitionOfHour(origin, KEYS), KEYS);
}

/** Registers runs (landings) so stages can move them; returns their ids. */
export async function landRuns(rt: EmbeddedRuntime, ...runIds: string[]): Promise<string[]> {
  for (const runId of runIds) {
    await rt.deps.runs.recordLanding({ runId, dataset: 'traffic', object: { bucket: 'tributary-raw', key: `traffic/${runId}.jsonl`, etag: `etag-${runId}`, size: 1 }, landedAt: new Date(0).toISOString() });
  }
  return runIds;
}

/**
 * Records a forecast job that finished, as forecast and the transform would leave it: the job record
 * (covering `covered`, with records for the origins of `lines`) and the transform's `.out` output, one
 * line per (sensor, origin hour) from the origin hour's last quarter, with one step whose prediction is `speed`.
 */
export async function finishedJob(
  deps: StageDeps,
  job: { name: string; generation: string; covered: readonly number[]; runIds: readonly string[]; lines: ReadonlyArray<{ sensor: string; origin: number; speed: number }> },
): Promise<void> {
  const outputPrefix = `_transform/${job.name}/output/`;
  const out = job.lines.map((l) => JSON.stringify({
    series: [l.sensor],
    origin: new Date(l.origin + 2_700_000).toISOString(),
    model: 'ridge-lags',
    modelVersion: 'test-model',
    forecasts: [{ step: 1, targetTime: new Date(l.origin + 3_600_000).toISOString(), prediction: l.speed, model: 'ridge-lags' }],
  }));
  await deps.objects.putObject(deps.topology.buckets.forecast, `${outputPrefix}records.jsonl.out`, out.join('\n') + '\n');
  const origins = [...new Set(job.lines.map((l) => l.origin))].sort((a, b) => a - b);
  await deps.jobs.putJob('forecast', job.name, { dataset: 'traffic', model: 'traffic-forecast', origins, covered: [...job.covered], runIds: [...job.runIds], generation: job.generation, outputPrefix, startedAt: job.generation.slice(0, 24) });
}

/** The live rows of one forecast partition, as `sensor prediction` strings, sorted (empty when removed). */
export async function liveRows(deps: StageDeps, origin: number): Promise<string[]> {
  const bucket = deps.topology.buckets.forecast;
  const rows: string[] = [];
  for (const object of await deps.objects.listObjects(bucket, `traffic/${originPath(origin)}/`)) {
    for (const line of (await deps.objects.getObject(bucket, object.key)).toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      const row: unknown = JSON.parse(line);
      if (typeof row === 'object' && row !== null && 'uniqueid' in row && 'prediction' in row) rows.push(`${String(row.uniqueid)} ${String(row.prediction)}`);
    }
  }
  return rows.sort();
}
