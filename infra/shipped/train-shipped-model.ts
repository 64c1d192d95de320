import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { artifactFileName } from '../../handlers/forecast-model/model-artifact';
import { bucketSeries } from '../../handlers/forecast-model/series-set';
import { seriesSpecOf } from '../../handlers/forecast-model/series-spec';
import { StepGrid } from '../../handlers/forecast-model/step-grid';
import { trainForecast, type TrainResult } from '../../handlers/forecast-model/train';
import { SHIPPED_MODEL_DIR } from './shipped-model';
import { DEFAULT_TRAFFIC_SAMPLE } from './traffic-sample';
import { simulateTraffic, type TrafficSimulationOptions } from './traffic-simulation';

/** The traffic manifest's forecast settings the shipped model is trained for. */
export const TRAFFIC_FORECAST = { every: '15m', horizon: 4 } as const;

/**
 * Trains the traffic forecast on the valid readings of a simulated sample (by default the demo
 * sample), exactly the rows the refined table holds for it, with the same candidates and backtest as
 * `tributary train traffic`. Deterministic: the shipped artifact is what this returns for the
 * defaults, and a test checks that it has not drifted.
 */
export function trainOnSample(options: TrafficSimulationOptions = DEFAULT_TRAFFIC_SAMPLE): TrainResult {
  const spec = seriesSpecOf(TRAFFIC_FORECAST);
  const rows = simulateTraffic(options)
    .filter((line) => line.fault === undefined && !line.duplicate)
    .map((line) => ({ key: [line.sensor], time: line.eventTimeMs, value: Number(line.record.currentSpeed) }));
  return trainForecast(bucketSeries(rows, new StepGrid(spec.every)), spec, { dataset: 'traffic' });
}

/** Regenerates `sql/traffic/model/traffic-<version>.json`, replacing any other shipped version. */
export async function writeShippedModel(dir = SHIPPED_MODEL_DIR): Promise<TrainResult & { file: string }> {
  const result = trainOnSample();
  await fs.mkdir(dir, { recursive: true });
  for (const old of await fs.readdir(dir)) {
    if (old.endsWith('.json')) await fs.rm(path.join(dir, old));
  }
  const file = path.join(dir, artifactFileName(result.artifact));
  await fs.writeFile(file, `${JSON.stringify(result.artifact, null, 1)}\n`);
  return { ...result, file };
}

if (require.main === module) {
  writeShippedModel().then(
    ({ file, artifact, scores }) => console.log(JSON.stringify({ file: path.relative(process.cwd(), file), model: artifact.model, scores })),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exitCode = 1;
    },
  );
}
