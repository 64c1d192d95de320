import { csvOptions, type DatasetManifest } from '../../contracts/dataset-manifest';
import { ErrorClass } from '../../contracts/domain-events';
import { StageError } from './stage-error';

import type { InspectedColumn } from '../ports/raw-file-inspector';

export type { InspectedColumn } from '../ports/raw-file-inspector';

/** One declared column a landed file lost or retyped. */
export interface ColumnDrift {
  /** The column as the manifest declares it. */
  readonly column: string;
  readonly declared: string;
  /** The file's type for the column; absent when the file lacks it. */
  readonly found?: string;
}

/**
 * A landed file lost or retyped a column its dataset declares (`raw.columns`). Never retried: the
 * file is set aside before any of its rows is refined, because the refine would read the column as
 * NULL (a renamed column) or reject every row (a retyped one) and the loss would look like data.
 */
export class SchemaDriftError extends StageError {
  override readonly name = 'SchemaDriftError';
  readonly key: string;
  readonly drifts: readonly ColumnDrift[];
  constructor(key: string, dataset: string, drifts: readonly ColumnDrift[], fileColumns: readonly string[]) {
    const what = drifts.map((d) => (d.found === undefined ? `column ${d.column} (${d.declared}) is missing` : `column ${d.column} is ${d.found}, declared ${d.declared}`));
    super(`schema change in ${key}: ${what.join('; ')} — dataset ${dataset} declares ${drifts.length === 1 ? 'it' : 'them'} in raw.columns (the file has ${fileColumns.join(', ') || 'no columns'})`, {
      retryable: false,
      errorClass: ErrorClass.Schema,
    });
    this.key = key;
    this.drifts = drifts;
  }
}

type Kind = 'string' | 'integer' | 'number' | 'boolean' | 'unknown' | 'other';

const KINDS: readonly (readonly [RegExp, Kind])[] = [
  [/^(u?(tiny|small|big|huge)?int(eger)?|int[1248]|long|short|signed)$/, 'integer'],
  [/^(double|float[48]?|real|decimal|numeric|number)$/, 'number'],
  [/^(bool|boolean)$/, 'boolean'],
  // Dates and times stay strings in the catalog, as Glue's classifiers type them.
  [/^(varchar|string|text|char|bpchar|uuid|date|time|timestamp.*|interval)$/, 'string'],
  // No non-null value (DuckDB's NULL, or JSON for all-null values): the file says nothing about the type.
  [/^(null|json)$/, 'unknown'],
];

function kindOf(type: string): Kind {
  const base = type.trim().toLowerCase().replace(/\(.*$/, '').replace(/ with time zone$/, '');
  return KINDS.find(([pattern]) => pattern.test(base))?.[1] ?? 'other';
}

function fits(declared: string, kind: Kind): boolean {
  if (kind === 'unknown') return true;
  return declared === kind || (declared === 'number' && kind === 'integer');
}

/**
 * Compares a landed file's columns with the columns its dataset declares and throws
 * `SchemaDriftError` naming every declared column the file lacks or holds with another type. Names
 * are compared case-insensitively, as the catalog lowercases them. A CSV file's types are not
 * compared: its cells are text, and a cell that does not parse is a row for the rejects table, not a
 * new schema. A dataset that declares no columns accepts any file.
 */
export function checkDeclaredColumns(manifest: DatasetManifest, key: string, columns: readonly InspectedColumn[]): void {
  const declared = Object.entries(manifest.raw.columns ?? {});
  if (declared.length === 0) return;
  const byName = new Map(columns.map((c) => [c.name.toLowerCase(), c]));
  const compareTypes = manifest.raw.format !== 'csv';
  // JSON records leave out a key whose value is missing: a declared column absent from every record of
  // a file is a schema change only beside a column the dataset does not declare (a rename); alone, its
  // rows go to the rejects table by the quality rules, like any missing value.
  const known = new Set(declared.map(([column]) => column.toLowerCase()));
  const sparse = (manifest.raw.format === 'jsonl' || manifest.raw.format === 'json') && columns.every((c) => known.has(c.name.toLowerCase()));
  const drifts: ColumnDrift[] = [];
  for (const [column, type] of declared) {
    const found = byName.get(column.toLowerCase());
    if (!found) {
      if (!sparse) drifts.push({ column, declared: type });
    } else if (compareTypes && !fits(type, kindOf(found.type))) drifts.push({ column, declared: type, found: found.type });
  }
  if (drifts.length === 0 && manifest.raw.format === 'csv' && csvOptions(manifest).header) drifts.push(...movedCsvColumns(declared, columns));
  if (drifts.length > 0) throw new SchemaDriftError(key, manifest.name, drifts, columns.map((c) => c.name));
}

/**
 * The first declared column a CSV file with a header holds at another position than declared: the table
 * reads CSV by position (as Athena's SerDes do), so a moved column would be read under another name.
 * Columns the file adds after the declared ones are fine (a crawl appends them).
 */
function movedCsvColumns(declared: readonly (readonly [string, string])[], columns: readonly InspectedColumn[]): ColumnDrift[] {
  const names = columns.map((c) => c.name.toLowerCase());
  // The first moved column is enough to say what happened (the others follow from it).
  return declared.flatMap(([column], i) => {
    const at = names.indexOf(column.toLowerCase());
    return at === -1 || at === i ? [] : [{ column, declared: `column ${i + 1}`, found: `the file's column ${at + 1} (CSV columns are read by position)` }];
  }).slice(0, 1);
}
