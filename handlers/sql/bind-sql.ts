import { ConfigurationError } from '../../contracts/configuration-error';
import { PipelineError } from '../../contracts/pipeline-error';

/** A name bound where SQL expects an identifier (a database): rendered as an identifier, never as a string. */
export interface SqlIdentifier {
  readonly identifier: string;
}

/**
 * A value a SQL placeholder may take; a list renders as comma-separated literals for `IN (:list)`,
 * a {@link SqlIdentifier} as a name (`FROM :raw_database.traffic`).
 */
export type SqlValue = string | number | boolean | null | readonly (string | number)[] | SqlIdentifier;

/**
 * Thrown for a placeholder without a value, a value without a placeholder, or a value SQL cannot
 * hold. Never retryable: binding the same text and values fails the same way every time.
 */
export class SqlBindError extends PipelineError {
  /** True when the SQL text is at fault (a placeholder and the values do not match), false for a value SQL cannot hold. */
  readonly inText: boolean;
  /** The index of the unbound placeholder in the SQL text, when there is one. */
  readonly offset: number | undefined;

  constructor(message: string, at?: { readonly offset?: number }) {
    super(message, { retryable: false });
    this.inText = at !== undefined;
    this.offset = at?.offset;
  }
}

/** A dataset's SQL statement and the repository-relative file it was read from (`sql/traffic/refine.sql`). */
export interface SqlSource {
  readonly file: string;
  readonly sql: string;
}

/** The 1-based line of `offset` in `text`. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** A statement's text as sent to the engine: a trailing `;` and whitespace dropped, nothing before it (so its lines stay the file's). */
export function statementText(sql: string): string {
  return sql.replace(/;?\s*$/, '');
}

/**
 * Binds a dataset's statement for a query: a trailing `;` is dropped and nothing before the
 * statement is, so line N of the result is line N of the file (an engine's `line N:C` points into the
 * file, as long as the caller starts the statement on its query's first line). A placeholder without
 * a value, or a value the SQL has no placeholder for, is a {@link ConfigurationError} naming the file
 * and line: the file must be fixed, retrying cannot help. Values named in `optional` may go unused.
 */
export function bindStatement(source: SqlSource, params: Readonly<Record<string, SqlValue>>, optional: readonly string[] = []): string {
  const text = statementText(source.sql);
  try {
    return bindSql(text, params, optional);
  } catch (err) {
    if (!(err instanceof SqlBindError) || !err.inText) throw err;
    const line = err.offset === undefined ? undefined : lineAt(text, err.offset);
    throw new ConfigurationError(source.file, line, err.message, { cause: err });
  }
}

/** Quotes one value as an Athena (Trino) literal; the only place SQL text is built from data. */
export function sqlLiteral(value: SqlValue): string {
  if (value === null) return 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new SqlBindError(`cannot bind the non-finite number ${value}`);
    return String(value);
  }
  if (typeof value === 'string') {
    // eslint-disable-next-line no-control-regex
    if (/\u0000/.test(value)) throw new SqlBindError('cannot bind a string containing a NUL character');
    return `'${value.replace(/'/g, "''")}'`;
  }
  if ('identifier' in value) return identifierText(value.identifier);
  if (value.length === 0) throw new SqlBindError('cannot bind an empty list (IN () is not valid SQL)');
  return value.map((v) => sqlLiteral(v)).join(', ');
}

/** An identifier as Athena (Trino) reads it: bare when it is a plain lower-case name, else double-quoted. */
function identifierText(name: string): string {
  if (/^[a-z_][a-z0-9_]*$/.test(name)) return name;
  if (name === '' || name.includes('\u0000')) throw new SqlBindError(`cannot bind ${JSON.stringify(name)} as an identifier`);
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Replaces each `:name` placeholder in SQL text with the quoted literal of `params[name]`.
 *
 * Placeholders inside string literals, quoted identifiers and comments are left alone, so a `:` in
 * data or in a `'HH:mm'` format never binds. Every placeholder must have a value and every value a
 * placeholder (but those named in `optional`): a typo fails loudly instead of running different SQL.
 */
export function bindSql(sql: string, params: Readonly<Record<string, SqlValue>>, optional: readonly string[] = []): string {
  const used = new Set<string>();
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i];
    const skipTo = skipQuoted(sql, i);
    if (skipTo > i) {
      out += sql.slice(i, skipTo);
      i = skipTo;
      continue;
    }
    const m = ch === ':' && sql[i + 1] !== ':' && sql[i - 1] !== ':' ? /^:([A-Za-z_][A-Za-z0-9_]*)/.exec(sql.slice(i)) : null;
    if (m && m[1] !== undefined) {
      const name = m[1];
      const value = Object.prototype.hasOwnProperty.call(params, name) ? params[name] : undefined;
      if (value === undefined) throw new SqlBindError(`no value for placeholder :${name} (the stage binds ${Object.keys(params).map((k) => `:${k}`).join(', ') || 'none'})`, { offset: i });
      out += sqlLiteral(value);
      used.add(name);
      i += m[0].length;
      continue;
    }
    out += ch;
    i++;
  }
  const unused = Object.keys(params).filter((k) => !used.has(k) && !optional.includes(k));
  if (unused.length > 0) throw new SqlBindError(`values given for no placeholder: ${unused.map((k) => `:${k}`).join(', ')}`, {});
  return out;
}

/** The index just past a string literal, quoted identifier or comment starting at `i`, else `i`. */
function skipQuoted(sql: string, i: number): number {
  const ch = sql[i];
  if (ch === "'" || ch === '"') {
    let j = i + 1;
    while (j < sql.length) {
      if (sql[j] === ch) {
        if (sql[j + 1] === ch) j += 2;
        else return j + 1;
      } else j++;
    }
    return sql.length;
  }
  if (ch === '-' && sql[i + 1] === '-') {
    const end = sql.indexOf('\n', i);
    return end === -1 ? sql.length : end;
  }
  if (ch === '/' && sql[i + 1] === '*') {
    const end = sql.indexOf('*/', i + 2);
    return end === -1 ? sql.length : end + 2;
  }
  return i;
}
