import type { DatasetManifest } from '../../contracts/dataset-manifest';

/**
 * A column of one landed file as its inspection saw it: the name as the file spells it and the type
 * DuckDB reports (`BIGINT`, `DOUBLE`, `VARCHAR`, `DECIMAL(9,2)`, `NULL` …) or a JSON kind (`integer`,
 * `number`, `string`, `boolean`, `null`, `mixed(…)`).
 */
export interface InspectedColumn {
  readonly name: string;
  readonly type: string;
}

/**
 * What a landed raw file holds: its record count, the span of its parseable event times, and its
 * columns with their types (compared with the declared ones by `checkDeclaredColumns`).
 */
export interface RawFileFacts {
  readonly records: number;
  readonly eventTimeRange?: { readonly from: string; readonly to: string };
  readonly columns?: readonly InspectedColumn[];
}

/**
 * Reads a landed raw file as its dataset's format (rows, event-time range with the manifest's format,
 * declared column types) before anything else touches it. Rejects with a PoisonInputError (the file
 * is quarantined whole, with that reason) when the file is not readable as its format, and with a
 * SchemaDriftError (`schema`) when a declared column holds values of another type. The
 * embedded realisation reads with DuckDB (infra/local/inspect), AWS's Lambda functions in pure
 * JavaScript (infra/aws/inspect); both pass one contract suite
 * (test/handlers/ports/raw-file-inspector.contract.ts). A realisation without one falls back to
 * `inspectRawFile`'s own JSON-lines reading (handlers/stage-kit/inspect-raw-file.ts).
 */
export interface RawFileInspector {
  inspect(key: string, body: Buffer, manifest: DatasetManifest): Promise<RawFileFacts>;
}
