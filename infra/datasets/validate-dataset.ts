import { mkdtemp, readFile, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigurationError } from '../../contracts/configuration-error';
import type { EventBusTransport } from '../../events/put-events';
import type { Dataset } from '../../handlers/ports/dataset-store';
import { JsonFileCatalog } from '../emulators/catalog/json-file-catalog';
import { DuckDbQueryEngine } from '../emulators/query/duckdb-query-engine';
import { compileDatasetSql, RAW_DATABASE, REFINED_DATABASE } from './compile-dataset-sql';
import { FolderDatasetStore, type LocatedDataset } from './folder-dataset-store';
import { lineOfJsonPath } from './json-line';
import { readManifest } from './read-manifest';

/** The checks' queries are nobody's pipeline work: their Athena state changes go nowhere. */
const unannounced: EventBusTransport = {
  putEvents: async (entries) => ({ FailedEntryCount: 0, Entries: entries.map(() => ({ EventId: 'not-announced' })) }),
};

/** The SerDe hints the engine reads a raw table's format from (its files are never read: there are none). */
const CLASSIFICATION_OF: Readonly<Record<string, string>> = { jsonl: 'json', json: 'json', csv: 'csv', parquet: 'parquet' };

/**
 * Checks a dataset folder without any data, the way the pipeline will use it: the manifest against
 * its contract (every problem, with its line) and its name against the folder; the files it names
 * readable; then every SQL file bound with its stage's placeholders and compiled in a real DuckDB
 * through the local Athena engine's translation, on empty tables of the declared raw schema and of
 * the refine's output (see {@link compileDatasetSql}). Returns one ConfigurationError per problem
 * (empty when the dataset is good). The engine runs in a scratch home that is removed afterwards.
 */
export async function validateDataset(located: LocatedDataset): Promise<ConfigurationError[]> {
  const manifestFile = path.posix.join(located.root.label, located.name, 'manifest.json');
  const text = await readFile(path.join(located.folder, 'manifest.json'), 'utf8');
  const reading = readManifest(text, manifestFile);
  if (reading.manifest === undefined) return [...reading.problems];
  if (reading.manifest.name !== located.name) {
    return [new ConfigurationError(manifestFile, lineOfJsonPath(text, ['name']) ?? 1, `name ${JSON.stringify(reading.manifest.name)} differs from its folder ${JSON.stringify(located.name)}`)];
  }
  let dataset: Dataset | undefined;
  try {
    dataset = await new FolderDatasetStore([located.root]).getDataset(located.name);
  } catch (err) {
    if (err instanceof ConfigurationError) return [err.line === undefined ? new ConfigurationError(err.file, 1, err.message.slice(err.file.length + 2)) : err];
    throw err;
  }
  if (dataset === undefined) return [new ConfigurationError(manifestFile, 1, 'the dataset folder disappeared while it was checked')];
  const home = await mkdtemp(path.join(os.tmpdir(), 'tributary-validate-'));
  const catalog = new JsonFileCatalog(home);
  // It compiles the dataset's SQL over empty tables: a small engine, whatever runs beside it (`up` validates at start).
  const engine = await DuckDbQueryEngine.create({ home, catalog, bus: unannounced, connections: 1, memoryLimit: '128MB' });
  try {
    for (const Name of [RAW_DATABASE, REFINED_DATABASE]) await catalog.createDatabase({ Name });
    return await compileDatasetSql(dataset, {
      engine,
      createRawTable: async (name, format, columns) => {
        await catalog.createTable(RAW_DATABASE, {
          Name: name,
          TableType: 'EXTERNAL_TABLE',
          Parameters: { classification: CLASSIFICATION_OF[format] ?? format },
          PartitionKeys: [],
          StorageDescriptor: { Columns: columns, Location: `s3://tributary-raw/${name}/` },
        });
      },
    }, text);
  } finally {
    await engine.close();
    await rm(home, { recursive: true, force: true });
  }
}

/**
 * Validates every dataset of a store's roots; a name defined in two roots is one problem. Returns the
 * problems of all datasets, in name order.
 */
export async function validateDatasets(store: FolderDatasetStore): Promise<ConfigurationError[]> {
  let located: LocatedDataset[];
  try {
    located = await store.locateDatasets();
  } catch (err) {
    if (err instanceof ConfigurationError) return [err];
    throw err;
  }
  const problems: ConfigurationError[] = [];
  for (const dataset of located) problems.push(...(await validateDataset(dataset)));
  return problems;
}
