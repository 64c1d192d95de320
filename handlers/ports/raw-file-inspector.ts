import type { DatasetManifest } from '../../contracts/dataset-manifest';

/** What a landed raw file holds: its record count and the span of its parseable event times. */
export interface RawFileFacts {
  readonly records: number;
  readonly eventTimeRange?: { readonly from: string; readonly to: string };
}

/**
 * Reads a landed raw file as its dataset's format (rows, event-time range with the manifest's format,
 * declared column types) before anything else touches it. Rejects with a PoisonInputError (the file
 * is quarantined whole, with that reason) when the file is not what the dataset declares. The
 * embedded realisation reads with DuckDB (infra/local/inspect); a realisation without one falls back
 * to `inspectRawFile`'s own JSON-lines reading (handlers/stage-kit/inspect-raw-file.ts).
 */
export interface RawFileInspector {
  inspect(key: string, body: Buffer, manifest: DatasetManifest): Promise<RawFileFacts>;
}
