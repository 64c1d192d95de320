import type { DatasetManifest } from '../../contracts/dataset-manifest';

/** One named SQL statement of a dataset (a refine step or a view), with its text and the file it came from. */
export interface DatasetSql {
  readonly name: string;
  readonly sql: string;
  /** The file, relative to the repository (`sql/traffic/views/current_jams.sql`), for messages that say what to fix. */
  readonly file: string;
}

/** The files a dataset was read from, relative to the repository (`sql/traffic/refine.sql`). */
export interface DatasetFiles {
  readonly manifest: string;
  readonly refineSql: string;
  readonly rejectsSql?: string;
  readonly forecastInputSql?: string;
}

/** A dataset as the stages use it: its validated manifest, refine SQL and view SQL. */
export interface Dataset {
  readonly manifest: DatasetManifest;
  readonly refineSql: string;
  readonly rejectsSql?: string;
  /** The SELECT of the forecast model's input rows, when the dataset has a forecast. */
  readonly forecastInputSql?: string;
  readonly views: readonly DatasetSql[];
  /** Where each text came from, so a configuration error names the file (and line) to fix. */
  readonly files: DatasetFiles;
}

/**
 * Looks up datasets by name (the folder `sql/<name>/`). Adding a dataset needs no TypeScript: both
 * realisations read the same folder (locally from the repository, on AWS from the Lambda bundle).
 */
export interface DatasetStore {
  /**
   * The dataset, or undefined when no folder of that name exists. Rejects with a ConfigurationError
   * (never retryable) naming the file and line when its manifest or a file it names is invalid or missing.
   */
  getDataset(name: string): Promise<Dataset | undefined>;
  listDatasets(): Promise<string[]>;
}
