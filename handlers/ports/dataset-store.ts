import type { DatasetManifest } from '../../contracts/dataset-manifest';

/** One named SQL statement of a dataset (a refine step or a view), with its text. */
export interface DatasetSql {
  readonly name: string;
  readonly sql: string;
}

/** A dataset as the stages use it: its validated manifest, refine SQL and view SQL. */
export interface Dataset {
  readonly manifest: DatasetManifest;
  readonly refineSql: string;
  readonly rejectsSql?: string;
  /** The SELECT of the forecast model's input rows, when the dataset has a forecast. */
  readonly forecastInputSql?: string;
  readonly views: readonly DatasetSql[];
}

/**
 * Looks up datasets by name (the folder `sql/<name>/`). Adding a dataset needs no TypeScript: both
 * realisations read the same folder (locally from the repository, on AWS from the Lambda bundle).
 */
export interface DatasetStore {
  /** The dataset, or undefined when no folder of that name exists. Throws on an invalid manifest. */
  getDataset(name: string): Promise<Dataset | undefined>;
  listDatasets(): Promise<string[]>;
}
