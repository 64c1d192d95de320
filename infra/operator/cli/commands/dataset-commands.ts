import type { Command } from 'commander';
import * as path from 'node:path';
import { DEFAULT_TRAFFIC_SAMPLE, generateTrafficSample } from '../../../shipped/traffic-sample';
import { streamTrafficSample } from '../../../shipped/stream-traffic-sample';
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
    .option('--out <dir>', 'folder to write into')
    .option('--stream', 'send the lines to the dataset\'s Firehose delivery stream of the running `tributary up` instead (records land in raw/<dataset>/ as Firehose writes them)')
    .option('--endpoint <url>', 'with --stream: the Firehose endpoint (default the one `tributary up` serves for --home)')
    .option('--sensors <n>', 'number of sensors', positiveInt('--sensors'), DEFAULT_TRAFFIC_SAMPLE.sensors)
    .option('--hours <n>', 'hours of readings', positiveInt('--hours'), DEFAULT_TRAFFIC_SAMPLE.hours)
    .option('--seed <n>', 'random seed (same seed, same files)', (v) => {
      if (!/^-?\d+$/.test(v)) throw new Error(`--seed must be a whole number, got ${JSON.stringify(v)}`);
      return Number(v);
    }, DEFAULT_TRAFFIC_SAMPLE.seed)
    .action(async (dataset: string, options: { out?: string; stream?: boolean; endpoint?: string; sensors: number; hours: number; seed: number }) => {
      onlyTraffic(dataset);
      if (options.stream === true) {
        if (options.out !== undefined) throw new Error('give --out DIR (write files) or --stream (send to the running pipeline), not both');
        const summary = await streamTrafficSample({ home: ctx.home(), dataset, endpoint: options.endpoint, sensors: options.sensors, hours: options.hours, seed: options.seed });
        ctx.out(`streamed ${summary.rows} lines to delivery stream ${dataset} at ${summary.endpoint} (${summary.resent} resent after a throttle); they land under raw/${dataset}/YYYY/MM/DD/HH/ as the stream's buffer fills or its interval passes`);
        return;
      }
      if (options.out === undefined) throw new Error('give --out DIR (write the sample as files) or --stream (send it to the running `tributary up`)');
      const summary = await generateTrafficSample({ outDir: options.out, sensors: options.sensors, hours: options.hours, seed: options.seed });
      ctx.out(`wrote ${summary.files} files, ${summary.rows} lines (${summary.validRows} valid readings, ${summary.invalidRows} invalid, ${summary.lateRows} late) under ${path.join(options.out, dataset)}`);
    });

  registerTrainCommand(program, ctx);
}
