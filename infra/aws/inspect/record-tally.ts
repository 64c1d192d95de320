import type { DatasetManifest } from '../../../contracts/dataset-manifest';
import type { InspectedColumn, RawFileFacts } from '../../../handlers/ports/raw-file-inspector';
import { SchemaDriftError } from '../../../handlers/stage-kit/declared-columns';
import { eventTimeMs } from '../../../handlers/stage-kit/event-time-value';

/** The kind of one value as the checks compare it: JSON's kinds (`integer`, `number`, `string`, `boolean`, `null`, `array`, `object`). */
export function valueKind(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'bigint') return 'integer';
  if (value instanceof Date) return 'string';
  return typeof value;
}

/** Whether a value of `kind` is one of the declared type's (an integer is a number too). */
export function kindFits(declared: string, kind: string): boolean {
  return kind === 'null' || declared === kind || (declared === 'number' && kind === 'integer');
}

/** A column's kind over all its non-null values: one kind, `number` for integers mixed with decimals, else `mixed(…)`. */
function columnKind(kinds: ReadonlySet<string>): string {
  if (kinds.size === 0) return 'null';
  if (kinds.size === 2 && kinds.has('integer') && kinds.has('number')) return 'number';
  return kinds.size === 1 ? [...kinds].join('') : `mixed(${[...kinds].join('/')})`;
}

/**
 * Counts records one at a time as an inspector reads them: the declared column types (a value of
 * another kind is a SchemaDriftError naming the record and the value, as the DuckDB inspector's), the
 * event-time range with the manifest's format, and each column's kind.
 */
export class RecordTally {
  private count = 0;
  private min: number | undefined;
  private max: number | undefined;
  private readonly kinds = new Map<string, Set<string>>();
  private readonly declared: ReadonlyMap<string, string>;
  private readonly timeColumn: string;

  constructor(private readonly key: string, private readonly manifest: DatasetManifest, private readonly compareKinds: (declared: string, value: unknown) => boolean = (d, v) => kindFits(d, valueKind(v))) {
    this.declared = new Map(Object.entries(manifest.raw.columns ?? {}).map(([k, t]) => [k.toLowerCase(), t]));
    this.timeColumn = manifest.eventTime.column.toLowerCase();
  }

  /** Adds one record: its fields by the names the file spells, with their values (undefined or null: missing). */
  add(record: Readonly<Record<string, unknown>>, describe: (value: unknown) => string = (v) => JSON.stringify(v)): void {
    this.count++;
    for (const [field, value] of Object.entries(record)) {
      const name = field.toLowerCase();
      const want = this.declared.get(name);
      if (want !== undefined && value !== null && value !== undefined && !this.compareKinds(want, value)) {
        throw new SchemaDriftError(this.key, this.manifest.name, [{ column: field, declared: want, found: `${valueKind(value)} (record ${this.count}: ${describe(value).slice(0, 40)})` }], Object.keys(record));
      }
      let seen = this.kinds.get(field);
      if (!seen) this.kinds.set(field, (seen = new Set()));
      const kind = valueKind(value);
      if (kind !== 'null') seen.add(kind);
      if (name === this.timeColumn) this.time(value);
    }
  }

  /** Adds one event-time value without a record (a columnar reader). */
  time(value: unknown): void {
    const t = eventTimeMs(value, this.manifest.eventTime.format);
    if (t === undefined) return;
    if (this.min === undefined || t < this.min) this.min = t;
    if (this.max === undefined || t > this.max) this.max = t;
  }

  /** The facts so far; `records` and `columns` override the tally's own (a columnar reader knows them). */
  facts(override: { records?: number; columns?: readonly InspectedColumn[] } = {}): RawFileFacts {
    const columns = override.columns ?? [...this.kinds].map(([name, seen]) => ({ name, type: columnKind(seen) }));
    const range = this.min !== undefined && this.max !== undefined ? { eventTimeRange: { from: new Date(this.min).toISOString(), to: new Date(this.max).toISOString() } } : {};
    return { records: override.records ?? this.count, columns, ...range };
  }
}
