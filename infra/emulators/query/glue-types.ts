import { QueryEngineError } from './athena-query-error';
import { splitTopLevel } from './split-top-level';

/** Thrown for a Glue type string the engine cannot read; poison: the table cannot be queried until it is fixed. */
export class UnsupportedGlueTypeError extends QueryEngineError {
  constructor(message: string) {
    super(message, false);
  }
}

const SCALARS: Readonly<Record<string, string>> = {
  boolean: 'BOOLEAN',
  tinyint: 'TINYINT',
  smallint: 'SMALLINT',
  int: 'INTEGER',
  integer: 'INTEGER',
  bigint: 'BIGINT',
  float: 'FLOAT',
  real: 'FLOAT',
  double: 'DOUBLE',
  string: 'VARCHAR',
  varchar: 'VARCHAR',
  char: 'VARCHAR',
  binary: 'BLOB',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
};

/**
 * Converts a Glue/Hive type (`bigint`, `decimal(10,2)`, `array<struct<a:int>>` …) to the DuckDB type
 * the research note's §2 table gives. Field names of structs are quoted so any Hive name survives.
 */
export function glueToDuckDbType(glueType: string): string {
  const parser = new TypeParser(glueType);
  const result = parser.parseType();
  parser.expectEnd();
  return result;
}

class TypeParser {
  private pos = 0;
  constructor(private readonly text: string) {}

  parseType(): string {
    const name = this.word().toLowerCase();
    if (name === 'array') return `${this.inAngles(() => this.parseType())}[]`;
    if (name === 'map') return this.inAngles(() => `MAP(${this.parseType()}, ${this.expect(',') ?? ''}${this.parseType()})`);
    if (name === 'struct') {
      return this.inAngles(() => {
        const fields: string[] = [];
        do {
          const field = this.word();
          this.expect(':');
          fields.push(`"${field.replace(/"/g, '""')}" ${this.parseType()}`);
        } while (this.accept(','));
        return `STRUCT(${fields.join(', ')})`;
      });
    }
    if (name === 'decimal') {
      const args = this.accept('(') ? this.until(')') : '10,0';
      return `DECIMAL(${args})`;
    }
    if ((name === 'varchar' || name === 'char') && this.accept('(')) this.until(')');
    const scalar = SCALARS[name];
    if (scalar === undefined) throw new UnsupportedGlueTypeError(`unsupported Glue type ${JSON.stringify(this.text)} (at ${JSON.stringify(name)})`);
    return scalar;
  }

  expectEnd(): void {
    this.skipSpace();
    if (this.pos !== this.text.length) throw new UnsupportedGlueTypeError(`unexpected text in Glue type ${JSON.stringify(this.text)} at ${this.pos}`);
  }

  private inAngles(body: () => string): string {
    this.expect('<');
    const result = body();
    this.expect('>');
    return result;
  }

  private word(): string {
    this.skipSpace();
    const m = /^[A-Za-z0-9_$-]+/.exec(this.text.slice(this.pos));
    if (!m) throw new UnsupportedGlueTypeError(`expected a name in Glue type ${JSON.stringify(this.text)} at ${this.pos}`);
    this.pos += m[0].length;
    return m[0];
  }

  private accept(ch: string): boolean {
    this.skipSpace();
    if (this.text[this.pos] !== ch) return false;
    this.pos++;
    return true;
  }

  private expect(ch: string): undefined {
    if (!this.accept(ch)) throw new UnsupportedGlueTypeError(`expected '${ch}' in Glue type ${JSON.stringify(this.text)} at ${this.pos}`);
    return undefined;
  }

  private until(ch: string): string {
    const end = this.text.indexOf(ch, this.pos);
    if (end === -1) throw new UnsupportedGlueTypeError(`expected '${ch}' in Glue type ${JSON.stringify(this.text)}`);
    const inner = this.text.slice(this.pos, end).replace(/\s/g, '');
    this.pos = end + 1;
    return inner;
  }

  private skipSpace(): void {
    while (/\s/.test(this.text[this.pos] ?? '')) this.pos++;
  }
}

/**
 * Converts a DuckDB result type (as `DuckDBType.toString()` prints it) to the Glue type a CTAS or
 * view column gets: integers keep their width, VARCHAR is `string`, TIMESTAMP WITH TIME ZONE is
 * `timestamp`, lists/structs/maps recurse.
 */
export function duckDbToGlueType(duckType: string): string {
  const t = duckType.trim();
  if (t.endsWith('[]')) return `array<${duckDbToGlueType(t.slice(0, -2))}>`;
  const upper = t.toUpperCase();
  const decimal = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(upper);
  if (decimal) return `decimal(${decimal[1]},${decimal[2]})`;
  const map = /^MAP\((.+)\)$/i.exec(t);
  if (map?.[1] !== undefined) {
    const [k, v] = splitTopLevel(map[1]);
    return `map<${duckDbToGlueType(k ?? '')},${duckDbToGlueType(v ?? '')}>`;
  }
  const struct = /^STRUCT\((.+)\)$/i.exec(t);
  if (struct?.[1] !== undefined) {
    const fields = splitTopLevel(struct[1]).map((f) => {
      const m = /^\s*("(?:[^"]|"")*"|\S+)\s+(.+)$/.exec(f);
      const name = (m?.[1] ?? f).replace(/^"|"$/g, '').replace(/""/g, '"');
      return `${name}:${duckDbToGlueType(m?.[2] ?? 'VARCHAR')}`;
    });
    return `struct<${fields.join(',')}>`;
  }
  const simple: Readonly<Record<string, string>> = {
    BOOLEAN: 'boolean', TINYINT: 'tinyint', SMALLINT: 'smallint', INTEGER: 'int', BIGINT: 'bigint', HUGEINT: 'bigint',
    UTINYINT: 'smallint', USMALLINT: 'int', UINTEGER: 'bigint', UBIGINT: 'bigint', FLOAT: 'float', DOUBLE: 'double',
    VARCHAR: 'string', BLOB: 'binary', DATE: 'date', TIMESTAMP: 'timestamp', 'TIMESTAMP WITH TIME ZONE': 'timestamp',
    TIMESTAMP_MS: 'timestamp', TIMESTAMP_NS: 'timestamp', TIMESTAMP_S: 'timestamp', UUID: 'string', JSON: 'string',
  };
  return simple[upper] ?? 'string';
}

/** The Trino type name Athena's ResultSetMetadata reports for a DuckDB type. */
export function trinoTypeName(duckType: string): string {
  const glue = duckDbToGlueType(duckType);
  if (glue.startsWith('array')) return 'array';
  if (glue.startsWith('map')) return 'map';
  if (glue.startsWith('struct')) return 'row';
  if (glue.startsWith('decimal')) return 'decimal';
  const names: Readonly<Record<string, string>> = { string: 'varchar', int: 'integer', float: 'real', binary: 'varbinary' };
  if (duckType.toUpperCase() === 'TIMESTAMP WITH TIME ZONE') return 'timestamp with time zone';
  return names[glue] ?? glue;
}
