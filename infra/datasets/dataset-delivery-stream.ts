import type { DatasetManifest } from '../../contracts/dataset-manifest';

/** How a dataset's own Firehose delivery stream is configured; both realisations derive theirs from it. */
export interface DatasetDeliveryStream {
  /** The stream's name: the dataset's. */
  readonly name: string;
  /** Objects land under `raw/<prefix>YYYY/MM/DD/HH/`, the dataset's raw folder. */
  readonly prefix: string;
  /** Each object's extension, so the raw zone's format check recognises it. */
  readonly fileExtension: string;
  /** Appended after every record (Firehose's AppendDelimiterToRecord processor). */
  readonly delimiter: string;
  readonly sizeInMBs: number;
  readonly intervalInSeconds: number;
}

/**
 * The delivery stream of a dataset whose raw records are JSON lines (one record per line, newline
 * appended by the stream), or undefined for CSV and Parquet datasets, whose objects are not a
 * concatenation of records. Buffering: 5 MiB or 60 s on AWS; the local realisation may use a shorter
 * interval.
 */
export function datasetDeliveryStream(manifest: DatasetManifest): DatasetDeliveryStream | undefined {
  if (manifest.raw.format !== 'jsonl') return undefined;
  return { name: manifest.name, prefix: `${manifest.name}/`, fileExtension: '.jsonl', delimiter: '\n', sizeInMBs: 5, intervalInSeconds: 60 };
}
