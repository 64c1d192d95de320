import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { layoutFirehoseFiles } from './firehose-layout';
import { Prng } from './prng';
import { simulateTraffic, type TrafficSimulationOptions } from './traffic-simulation';

/** Options of `tributary sample traffic`: where to write, and the simulation's size and seed. */
export interface TrafficSampleOptions extends TrafficSimulationOptions {
  readonly outDir: string;
  /** Firehose buffers per arrival hour (files per folder). Default 3. */
  readonly filesPerHour?: number;
}

/** What a sample holds; `validRows` is exactly the number of rows the refined table must end with. */
export interface TrafficSampleSummary {
  readonly files: number;
  /** Lines written, duplicates included. */
  readonly rows: number;
  /** Distinct valid readings (one per sensor and minute that is not faulty). */
  readonly validRows: number;
  /** Lines with a fault, which must end in the rejects table. */
  readonly invalidRows: number;
  /** Lines delivered one to three hours late (in a later arrival-hour folder). */
  readonly lateRows: number;
  /** Second deliveries of valid readings, which the refine must collapse. */
  readonly duplicateRows: number;
  readonly invalidByReason: Readonly<Record<string, number>>;
  /** Object keys written, relative to `outDir`, sorted. */
  readonly keys: readonly string[];
}

/** Demo defaults: three weekdays of 20 sensors, enough history for a held-out day. */
export const DEFAULT_TRAFFIC_SAMPLE = { sensors: 20, hours: 72, seed: 42 } as const;

/**
 * Writes a deterministic traffic sample as JSON-lines files laid out by arrival hour, as Firehose
 * delivers them, under `outDir/traffic/YYYY/MM/DD/HH/`. Same options, same bytes.
 */
export async function generateTrafficSample(options: TrafficSampleOptions): Promise<TrafficSampleSummary> {
  for (const [name, value] of [['sensors', options.sensors], ['hours', options.hours]] as const) {
    if (!Number.isInteger(value) || value < 1 || value > 100_000) {
      throw new RangeError(`--${name} must be a whole number between 1 and 100000, got ${value}`);
    }
  }
  if (!Number.isInteger(options.seed)) throw new RangeError(`--seed must be a whole number, got ${options.seed}`);
  const lines = simulateTraffic(options);
  const files = layoutFirehoseFiles(lines, {
    prefix: 'traffic',
    stream: 'traffic-stream',
    filesPerHour: options.filesPerHour ?? 3,
    rng: new Prng(`${options.seed}:layout`),
  });
  for (const file of files) {
    const target = path.join(options.outDir, ...file.key.split('/'));
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.writeFile(target, file.lines.map((line) => `${JSON.stringify(line.record)}\n`).join(''));
  }
  const invalidByReason: Record<string, number> = {};
  for (const line of lines) {
    if (line.fault !== undefined) invalidByReason[line.fault] = (invalidByReason[line.fault] ?? 0) + 1;
  }
  return {
    files: files.length,
    rows: lines.length,
    validRows: lines.filter((l) => l.fault === undefined && !l.duplicate).length,
    invalidRows: lines.filter((l) => l.fault !== undefined).length,
    lateRows: lines.filter((l) => l.late).length,
    duplicateRows: lines.filter((l) => l.duplicate).length,
    invalidByReason,
    keys: files.map((f) => f.key),
  };
}
