import type { Command } from 'commander';
import * as path from 'node:path';
import { PARTITION_GRAINS, type PartitionGrain } from '../../../../contracts/dataset-manifest';
import { folderRoot } from '../../../datasets/dataset-roots';
import { newDataset } from '../../../datasets/new-dataset';
import { validateDataset } from '../../../datasets/validate-dataset';
import type { CliContext } from '../cli-context';
import { positiveInt } from '../format';

interface NewOptions {
  from: string;
  eventTime: string;
  timeFormat?: string;
  grain?: PartitionGrain;
  forecast?: string;
  by?: string;
  every?: string;
  horizon?: number;
  dir?: string;
}

function grainOf(value: string): PartitionGrain {
  const grain = PARTITION_GRAINS.find((g) => g === value);
  if (grain === undefined) throw new Error(`--grain must be one of ${PARTITION_GRAINS.join(', ')}, got ${JSON.stringify(value)}`);
  return grain;
}

/** `tributary dataset new <name> --from <file> --event-time <column> …`: writes a dataset folder from a sample file, then validates it. */
export function registerDatasetNewCommand(dataset: Command, ctx: CliContext): void {
  dataset
    .command('new <name>')
    .description('Write a dataset folder from a sample file (CSV, JSON lines, a JSON array or Parquet, optionally .gz): inferred columns, quality rules, refine/rejects SQL, a view, forecast settings; then validate it.')
    .requiredOption('--from <file>', 'a sample file of the data that will land')
    .requiredOption('--event-time <column>', 'the column holding each row\'s event time (as in the file, any case)')
    .option('--time-format <strptime>', 'how the event time is written: iso8601, epoch_seconds, epoch_millis or a strptime pattern (default: guessed from the sample)')
    .option('--grain <grain>', 'partition by hour, day or month (default: day for dates without a time of day, else hour)', grainOf)
    .option('--forecast <column>', 'the numeric column to forecast')
    .option('--by <columns>', 'comma-separated columns, one series per group (default: one series)')
    .option('--every <duration>', 'forecast step: 15m, 1h, 1d, 1w, 1mo …')
    .option('--horizon <steps>', 'how many steps ahead to forecast', positiveInt('--horizon'))
    .option('--dir <folder>', 'where to write the dataset folder (default <home>/datasets/<name>)')
    .action(async (name: string, options: NewOptions) => {
      if (options.forecast === undefined && (options.by ?? options.every ?? options.horizon) !== undefined) throw new Error('--by, --every and --horizon go with --forecast <column>');
      if (options.forecast !== undefined && (options.every === undefined || options.horizon === undefined)) throw new Error('--forecast needs --every <duration> and --horizon <steps>');
      const dir = path.resolve(options.dir ?? path.join(ctx.home(), 'datasets', name));
      const result = await newDataset({
        name,
        from: options.from,
        dir,
        eventTime: options.eventTime,
        ...(options.timeFormat !== undefined ? { timeFormat: options.timeFormat } : {}),
        ...(options.grain !== undefined ? { grain: options.grain } : {}),
        ...(options.forecast !== undefined ? { forecast: { target: options.forecast, groupBy: (options.by ?? '').split(',').map((b) => b.trim()).filter((b) => b !== ''), every: options.every ?? '', horizon: options.horizon ?? 0 } } : {}),
      });
      const { spec } = result;
      ctx.out(`wrote ${dir}: ${result.files.join(', ')}`);
      ctx.out(`  ${spec.format} with ${spec.columns.length} columns (${spec.columns.map((c) => `${c.name} ${c.type}`).join(', ')}); event time ${spec.eventTime.column} (${spec.eventTime.format}); partitioned by ${spec.grain}`);
      if (result.leftOut.length > 0) ctx.out(`  left out (nested types the manifest cannot declare): ${result.leftOut.map((c) => `${c.name} ${c.glueType}`).join(', ')}`);
      const problems = await validateDataset({ name, folder: dir, root: folderRoot(path.dirname(dir)) });
      for (const problem of problems) ctx.err(problem.message);
      if (problems.length > 0) {
        process.exitCode = 1;
        return;
      }
      ctx.out(`  valid; drop files of this shape into <home>/lake/raw/${name}/ (or \`tributary drop <file> --dataset ${name}\`)`);
    });
}
