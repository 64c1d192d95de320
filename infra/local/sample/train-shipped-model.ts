import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { train, type TrainResult } from '../../../handlers/forecast-model/train';
import { SHIPPED_MODEL_DIR, shippedModelFileName } from './shipped-model';
import { DEFAULT_TRAFFIC_SAMPLE } from './traffic-sample';
import { simulateTraffic, type TrafficSimulationOptions } from './traffic-simulation';

/** Hours of the default sample held out to measure the shipped model: the last day. */
export const SHIPPED_HELD_OUT_HOURS = 24;

/**
 * Trains the traffic-speed model on the valid readings of a simulated sample (by default the demo
 * sample), exactly the rows the refined table holds for it. Deterministic: the shipped artifact is
 * what this returns for the defaults, and a test checks that it has not drifted.
 */
export function trainOnSample(options: TrafficSimulationOptions = DEFAULT_TRAFFIC_SAMPLE, heldOutHours = SHIPPED_HELD_OUT_HOURS): TrainResult {
  const readings = simulateTraffic(options)
    .filter((line) => line.fault === undefined && !line.duplicate)
    .map((line) => ({ sensor: line.sensor, time: line.eventTimeMs, speed: Number(line.record.currentSpeed) }));
  return train(readings, { heldOutHours });
}

/** Regenerates `sql/traffic/model/traffic-speed-<version>.json`, replacing any other shipped version. */
export async function writeShippedModel(dir = SHIPPED_MODEL_DIR): Promise<TrainResult & { file: string }> {
  const result = trainOnSample();
  await fs.mkdir(dir, { recursive: true });
  for (const old of await fs.readdir(dir)) {
    if (/^traffic-speed-.+\.json$/.test(old)) await fs.rm(path.join(dir, old));
  }
  const file = path.join(dir, shippedModelFileName(result.artifact.version));
  await fs.writeFile(file, `${JSON.stringify(result.artifact, null, 1)}\n`);
  return { ...result, file };
}

if (require.main === module) {
  writeShippedModel().then(
    ({ file, metrics }) => console.log(JSON.stringify({ file: path.relative(process.cwd(), file), ...metrics })),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exitCode = 1;
    },
  );
}
