import type { Command } from 'commander';
import * as path from 'node:path';
import { DEFAULT_TRAFFIC_SAMPLE, generateTrafficSample } from '../../sample/traffic-sample';
import { positiveInt } from '../format';
import { registerTrainCommand } from './train-command';
import type { CliContext } from '../cli-context';

function onlyTraffic(dataset: string): void {
  if (dataset !== 'traffic') throw new Error(`no sample generator for dataset ${JSON.stringify(dataset)} (available: traffic)`);
}

/** `tributary sample <dataset>` and `tributary train <dataset>`. */
export function registerDatasetCommands(program: Command, ctx: CliContext): void {
  program
    .command('sample <dataset>')
    .description('Generate a deterministic sample of a dataset as the raw zone would receive it (JSON lines by arrival hour).')
    .requiredOption('--out <dir>', 'folder to write into')
    .option('--sensors <n>', 'number of sensors', positiveInt('--sensors'), DEFAULT_TRAFFIC_SAMPLE.sensors)
    .option('--hours <n>', 'hours of readings', positiveInt('--hours'), DEFAULT_TRAFFIC_SAMPLE.hours)
    .option('--seed <n>', 'random seed (same seed, same files)', (v) => {
      if (!/^-?\d+$/.test(v)) throw new Error(`--seed must be a whole number, got ${JSON.stringify(v)}`);
      return Number(v);
    }, DEFAULT_TRAFFIC_SAMPLE.seed)
    .action(async (dataset: string, options: { out: string; sensors: number; hours: number; seed: number }) => {
      onlyTraffic(dataset);
      const summary = await generateTrafficSample({ outDir: options.out, sensors: options.sensors, hours: options.hours, seed: options.seed });
      ctx.out(`wrote ${summary.files} files, ${summary.rows} lines (${summary.validRows} valid readings, ${summary.invalidRows} invalid, ${summary.lateRows} late) under ${path.join(options.out, dataset)}`);
    });

  registerTrainCommand(program, ctx);
}
