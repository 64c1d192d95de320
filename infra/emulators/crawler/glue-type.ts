import { DuckDBTypeId, type DuckDBType } from '@duckdb/node-api';

/**
 * A Glue column type as a tree, so types found in different files can be merged (struct fields
 * united, arrays widened) before they are rendered to Hive type strings like `struct<a:bigint>`.
 * `null` is a column seen only as JSON null: it takes the type of any other sighting and renders as
 * `string` when nothing else is known.
 */
export type GlueType =
  | { readonly kind: 'primitive'; readonly name: string }
  | { readonly kind: 'null' }
  | { readonly kind: 'array'; readonly element: GlueType }
  | { readonly kind: 'map'; readonly key: GlueType; readonly value: GlueType }
  | { readonly kind: 'struct'; readonly fields: readonly (readonly [string, GlueType])[] };

/** The built-in classifications the crawler recognises. */
export type Classification = 'csv' | 'json' | 'parquet';

const prim = (name: string): GlueType => ({ kind: 'primitive', name });
const INT_RANK: Readonly<Record<string, number>> = { tinyint: 1, smallint: 2, int: 3, bigint: 4 };

/**
 * Maps a DuckDB type to the Glue type the built-in classifier of `format` produces.
 * CSV and JSON know only bigint/double/boolean/string (JSON also array/struct): dates, timestamps
 * and every other text stay `string`, every integer width is `bigint`. Parquet maps logical types
 * 1:1 (int, float, date, timestamp, decimal(p,s), binary, map …).
 */
export function glueTypeOfDuckDb(type: DuckDBType, format: Classification): GlueType {
  const id = type.typeId;
  const parquet = format === 'parquet';
  switch (id) {
    case DuckDBTypeId.BOOLEAN:
      return prim('boolean');
    case DuckDBTypeId.TINYINT:
      return prim(parquet ? 'tinyint' : 'bigint');
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.UTINYINT:
      return prim(parquet ? 'smallint' : 'bigint');
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.USMALLINT:
      return prim(parquet ? 'int' : 'bigint');
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UINTEGER:
      return prim('bigint');
    case DuckDBTypeId.UBIGINT:
      return prim(parquet ? 'decimal(20,0)' : 'double');
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
      // DuckDB's JSON sniffer widens to HUGEINT when a sample mixes signs; Glue reads any text
      // integer as bigint, so the type must not depend on which files were sampled together.
      return prim(parquet ? 'decimal(38,0)' : 'bigint');
    case DuckDBTypeId.FLOAT:
      return prim(parquet ? 'float' : 'double');
    case DuckDBTypeId.DOUBLE:
      return prim('double');
    case DuckDBTypeId.DECIMAL:
      return prim(parquet && 'width' in type ? `decimal(${type.width},${type.scale})` : 'double');
    case DuckDBTypeId.DATE:
      return prim(parquet ? 'date' : 'string');
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
    case DuckDBTypeId.TIMESTAMP_TZ:
      return prim(parquet ? 'timestamp' : 'string');
    case DuckDBTypeId.BLOB:
      return prim(parquet ? 'binary' : 'string');
    case DuckDBTypeId.SQLNULL:
      return { kind: 'null' };
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY:
      if (format === 'csv' || !('valueType' in type)) return prim('string');
      return { kind: 'array', element: glueTypeOfDuckDb(type.valueType, format) };
    case DuckDBTypeId.STRUCT:
      if (format === 'csv' || !('entryNames' in type)) return prim('string');
      return { kind: 'struct', fields: type.entryNames.map((n, i) => [n, entryType(type.entryTypes[i], format)] as const) };
    case DuckDBTypeId.MAP:
      if (!('keyType' in type)) return prim('string');
      if (format === 'parquet') return { kind: 'map', key: glueTypeOfDuckDb(type.keyType, format), value: glueTypeOfDuckDb(type.valueType, format) };
      return prim('string');
    default:
      return prim('string');
  }
}

function entryType(type: DuckDBType | undefined, format: Classification): GlueType {
  return type === undefined ? prim('string') : glueTypeOfDuckDb(type, format);
}

/** Renders a type as the Hive/Glue type string stored in the catalog. */
export function renderGlueType(type: GlueType): string {
  switch (type.kind) {
    case 'primitive':
      return type.name;
    case 'null':
      return 'string';
    case 'array':
      return `array<${renderGlueType(type.element)}>`;
    case 'map':
      return `map<${renderGlueType(type.key)},${renderGlueType(type.value)}>`;
    case 'struct':
      return `struct<${type.fields.map(([n, t]) => `${n}:${renderGlueType(t)}`).join(',')}>`;
  }
}

/**
 * The type that holds values of both `a` and `b`, as the crawler merges files of one table:
 * integers widen to the larger width, integer with float to double, structs unite their fields,
 * arrays widen their element; anything else incompatible becomes `string`.
 */
export function widenGlueType(a: GlueType, b: GlueType): GlueType {
  if (a.kind === 'null') return b;
  if (b.kind === 'null') return a;
  if (a.kind === 'primitive' && b.kind === 'primitive') return widenPrimitive(a.name, b.name);
  if (a.kind === 'array' && b.kind === 'array') return { kind: 'array', element: widenGlueType(a.element, b.element) };
  if (a.kind === 'map' && b.kind === 'map') return { kind: 'map', key: widenGlueType(a.key, b.key), value: widenGlueType(a.value, b.value) };
  if (a.kind === 'struct' && b.kind === 'struct') {
    const fields = new Map<string, GlueType>(a.fields);
    for (const [name, t] of b.fields) {
      const seen = fields.get(name);
      fields.set(name, seen === undefined ? t : widenGlueType(seen, t));
    }
    return { kind: 'struct', fields: [...fields.entries()] };
  }
  return prim('string');
}

function widenPrimitive(a: string, b: string): GlueType {
  if (a === b) return prim(a);
  const ra = INT_RANK[a];
  const rb = INT_RANK[b];
  if (ra !== undefined && rb !== undefined) return prim(ra >= rb ? a : b);
  const numeric = (t: string) => INT_RANK[t] !== undefined || t === 'float' || t === 'double' || t.startsWith('decimal(');
  if (numeric(a) && numeric(b)) return prim('double');
  return prim('string');
}
