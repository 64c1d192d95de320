import type { Command } from 'commander';
import { datasetRoots } from '../../../datasets/dataset-roots';
import { FolderDatasetStore, type LocatedDataset } from '../../../datasets/folder-dataset-store';
import { validateDataset } from '../../../datasets/validate-dataset';
import type { CliContext } from '../cli-context';
import { formatTable } from '../format';
import { registerDatasetNewCommand } from './dataset-new';

/** The store of every dataset a home sees: built-in `sql/`, `<home>/datasets/`, `$TRIBUTARY_DATASETS`. */
function storeOf(ctx: CliContext): FolderDatasetStore {
  return new FolderDatasetStore(datasetRoots(ctx.home()));
}

/** `tributary datasets`, `tributary dataset validate [name]` and `tributary dataset new`. */
export function registerDatasetCatalogCommands(program: Command, ctx: CliContext): void {
  program
    .command('datasets')
    .description('List the datasets (built-in sql/, <home>/datasets/, each folder of $TRIBUTARY_DATASETS) with the folder each comes from.')
    .action(async () => {
      const located = await storeOf(ctx).locateDatasets();
      ctx.out(formatTable(located.map((d) => ({ dataset: d.name, folder: d.folder }))));
    });

  const dataset = program.command('dataset').description('Create and check dataset folders.');
  dataset
    .command('validate [name]')
    .description('Check a dataset (or all) without data: manifest contract, placeholders, refine/rejects/views/forecast SQL compiled on empty tables. One line per problem (file and line); exit 1 when any.')
    .action(async (name: string | undefined) => {
      const store = storeOf(ctx);
      let targets: LocatedDataset[];
      if (name === undefined) targets = await store.locateDatasets();
      else {
        const found = await store.locateDataset(name);
        if (found === undefined) throw new Error(`no dataset ${JSON.stringify(name)} (looked in ${datasetRoots(ctx.home()).map((r) => r.dir).join(', ')})`);
        targets = [found];
      }
      let problems = 0;
      for (const target of targets) {
        const found = await validateDataset(target);
        for (const problem of found) ctx.err(problem.message);
        problems += found.length;
        if (found.length === 0) ctx.out(`${target.name}: valid (${target.folder})`);
      }
      if (problems > 0) process.exitCode = 1;
    });
  registerDatasetNewCommand(dataset, ctx);
}
