import { datasetRoots } from '../../../datasets/dataset-roots';
import type { Command } from 'commander';
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { artifactFileName } from '../../../../handlers/forecast-model/model-artifact';
import { seriesSpecOf } from '../../../../handlers/forecast-model/series-spec';
import { trainForecast } from '../../../../handlers/forecast-model/train';
import { FolderDatasetStore } from '../../../datasets/folder-dataset-store';
import { modelDir } from '../../../local/runtime/model-registry';
import { formatTable } from '../format';
import { openReadSide } from '../../read-side/read-side';
import { readForecastHistory } from '../../read-side/forecast-read';
import type { CliContext } from '../cli-context';

/** Parses `--test-fraction`: a number strictly between 0 and 1. */
function fraction(value: string): number {
  const n = Number(value);
  if (!(n > 0 && n < 1)) throw new Error(`--test-fraction must be a number between 0 and 1, got ${JSON.stringify(value)}`);
  return n;
}

/**
 * `tributary train <dataset>`: reads the dataset's whole refined history through its forecast input
 * (the manifest's `inputSql`, or the SQL generated from target, groupBy and every), backtests
 * seasonal-naive, last-value and ridge-lags on the most recent steps, prints MAE and MASE per model
 * and saves the best as a new version in `<home>/models/<dataset>/`.
 */
export function registerTrainCommand(program: Command, ctx: CliContext): void {
  program
    .command('train <dataset>')
    .description('Backtest seasonal-naive, last-value and a learned model on the dataset\'s refined history (MAE, MASE) and save the best as its new model version in the home.')
    .option('--test-fraction <f>', 'share of the most recent steps used for the rolling-origin backtest', fraction, 0.2)
    .action(async (dataset: string, options: { testFraction: number }) => {
      const found = await new FolderDatasetStore(datasetRoots(ctx.home())).getDataset(dataset);
      if (found === undefined) throw new Error(`no dataset ${JSON.stringify(dataset)}`);
      const settings = found.manifest.forecast;
      if (settings === undefined) throw new Error(`dataset ${dataset} has no forecast settings in its manifest (forecast.target, groupBy, every, horizon)`);
      const spec = seriesSpecOf(settings);
      const side = await openReadSide(ctx.home());
      try {
        ctx.err('reading refined history…');
        const { rows, series } = await readForecastHistory(
          (sql) =>
            side.query(sql).catch((error: unknown) => {
              const message = error instanceof Error ? error.message : String(error);
              if (message.includes('TABLE_NOT_FOUND')) throw new Error(`dataset ${dataset} has no refined table yet: drop its files (\`tributary drop <file> --dataset ${dataset}\`) and let them be processed (\`tributary wait\`) before training`);
              throw error;
            }),
          found,
        );
        ctx.err(`training on ${rows.length} rows: ${series.length} series of ${spec.every} steps, horizon ${spec.horizon}, season ${spec.season}…`);
        const { artifact, scores, skipped } = trainForecast(series, spec, { dataset, testFraction: options.testFraction });
        ctx.out(formatTable(scores.map((s) => ({ model: s.model, MAE: s.mae.toFixed(4), MASE: s.mase === null ? 'n/a' : s.mase.toFixed(4), chosen: s.model === artifact.model ? '*' : '' }))));
        for (const reason of skipped) ctx.out(`not scored: ${reason}`);
        ctx.out(`backtest: rolling origins from ${artifact.backtest.from} (${artifact.backtest.origins} origins, ${artifact.backtest.forecasts} forecasts); MASE scale (in-sample seasonal-naive MAE) ${artifact.backtest.scale}`);
        const dir = modelDir(ctx.home(), dataset);
        await mkdir(dir, { recursive: true });
        const file = path.join(dir, artifactFileName(artifact));
        await writeFile(file, `${JSON.stringify(artifact, null, 1)}\n`);
        ctx.out(`chosen: ${artifact.model} ${artifact.version}; saved ${file}`);
        ctx.out('new forecasts use it from the next start of the pipeline (`tributary up`, `wait`, `demo`).');
      } finally {
        await side.close();
      }
    });
}
