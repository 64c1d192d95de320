import { StatementType } from '../../../handlers/ports/query-engine';
import { AthenaErrorName, AthenaQueryError } from './athena-query-error';
import { identifierName, isWord, significant, tokenize, TokenKind, type Token } from './sql-tokenizer';

/** A table name as written: database is absent for an unqualified name. */
export interface TableName {
  readonly database?: string;
  readonly table: string;
}

/** `WITH (k = v, …)` properties: strings, numbers, booleans or ARRAY['…'] lists. */
export type Properties = Readonly<Record<string, string | readonly string[]>>;

/** The statements the engine runs, as parsed from Athena SQL (only the parts the engine acts on). */
export type AthenaStatement =
  | { readonly kind: 'query'; readonly sql: string }
  | { readonly kind: 'utility'; readonly sql: string; readonly verb: string }
  | { readonly kind: 'insert'; readonly target: TableName; readonly columns?: readonly string[]; readonly query: string }
  | { readonly kind: 'unload'; readonly query: string; readonly location: string; readonly properties: Properties }
  | { readonly kind: 'ctas'; readonly target: TableName; readonly ifNotExists: boolean; readonly properties: Properties; readonly query: string; readonly withData: boolean }
  | { readonly kind: 'create-view'; readonly target: TableName; readonly orReplace: boolean; readonly query: string }
  | { readonly kind: 'drop'; readonly object: 'table' | 'view'; readonly target: TableName; readonly ifExists: boolean }
  | { readonly kind: 'create-database'; readonly name: string; readonly ifNotExists: boolean };

/** Athena's statement type of a parsed statement (CTAS, INSERT and UNLOAD are DML, as Athena reports). */
export function statementTypeOf(statement: AthenaStatement): StatementType {
  if (statement.kind === 'query' || statement.kind === 'insert' || statement.kind === 'unload' || statement.kind === 'ctas') return StatementType.Dml;
  if (statement.kind === 'utility') return StatementType.Utility;
  return StatementType.Ddl;
}

/** A first guess of the statement type from the leading keyword, for events sent before parsing. */
export function leadingStatementType(sql: string): StatementType {
  try {
    return statementTypeOf(parseStatement(sql));
  } catch {
    return StatementType.Dml;
  }
}

/** Parses one Athena statement; throws SYNTAX_ERROR or NOT_SUPPORTED (Athena-worded) for anything else. */
export function parseStatement(text: string): AthenaStatement {
  const sql = text.trim().replace(/;\s*$/, '');
  const all = tokenize(sql);
  const tokens = significant(all);
  if (tokens.some((t) => t.text === ';')) throw syntax('multiple statements are not supported; run one statement per query');
  const p = new Cursor(sql, tokens);
  const first = tokens[0];
  if (first === undefined) throw syntax('line 1:1: empty query');
  const word = first.kind === TokenKind.Word ? first.text.toLowerCase() : first.text;
  if (word === 'select' || word === 'with' || word === 'values' || word === '(' || word === 'table') return { kind: 'query', sql };
  if (['show', 'describe', 'desc', 'explain'].includes(word)) return { kind: 'utility', sql, verb: word };
  if (word === 'insert') {
    p.expect('insert', 'into');
    const target = p.tableName();
    const columns = p.peek('(') && !p.peekAt(1, 'select') && !p.peekAt(1, 'with') ? p.nameList() : undefined;
    return { kind: 'insert', target, columns, query: p.rest() };
  }
  if (word === 'unload') {
    p.expect('unload', '(');
    const query = p.balancedUntilClose();
    p.expect('to');
    const location = p.stringLiteral();
    p.expect('with');
    return { kind: 'unload', query, location, properties: p.properties() };
  }
  if (word === 'create') {
    p.expect('create');
    const orReplace = p.accept('or', 'replace');
    if (p.accept('view')) {
      const target = p.tableName();
      p.expect('as');
      return { kind: 'create-view', target, orReplace, query: p.rest() };
    }
    if (p.accept('database') || p.accept('schema')) {
      const ifNotExists = p.accept('if', 'not', 'exists');
      return { kind: 'create-database', name: p.name(), ifNotExists };
    }
    if (p.accept('table')) {
      const ifNotExists = p.accept('if', 'not', 'exists');
      const target = p.tableName();
      const properties = p.accept('with') ? p.properties() : {};
      p.expect('as');
      let query = p.rest();
      const noData = /\bWITH\s+NO\s+DATA\s*$/i.exec(query);
      if (noData) query = query.slice(0, noData.index);
      else query = query.replace(/\bWITH\s+DATA\s*$/i, '');
      query = query.trim().replace(/^\(([\s\S]*)\)$/, '$1');
      return { kind: 'ctas', target, ifNotExists, properties, query, withData: noData === null };
    }
    throw notSupported(sql);
  }
  const KNOWN = ['create', 'drop', 'alter', 'msck', 'insert', 'unload', 'delete', 'update', 'merge', 'prepare', 'execute', 'deallocate', 'vacuum', 'optimize'];
  if (!KNOWN.includes(word)) throw syntax(`line 1:${first.start + 1}: mismatched input '${first.text}'. Expecting: 'ALTER', 'CREATE', 'DESCRIBE', 'DROP', 'EXPLAIN', 'INSERT', 'SELECT', 'SHOW', 'UNLOAD', 'WITH'`);
  if (word === 'drop') {
    p.expect('drop');
    const object = p.accept('view') ? 'view' : p.accept('table') ? 'table' : undefined;
    if (object === undefined) throw notSupported(sql);
    const ifExists = p.accept('if', 'exists');
    return { kind: 'drop', object, target: p.tableName(), ifExists };
  }
  throw notSupported(sql);
}

function syntax(detail: string): AthenaQueryError {
  return new AthenaQueryError(AthenaErrorName.SyntaxError, detail);
}

function notSupported(sql: string): AthenaQueryError {
  const head = sql.split(/\s+/).slice(0, 3).join(' ');
  return new AthenaQueryError(AthenaErrorName.NotSupported, `the local engine does not run statements like '${head} …'; supported: SELECT/WITH, SHOW, DESCRIBE, EXPLAIN, INSERT INTO, UNLOAD, CREATE TABLE AS, CREATE [OR REPLACE] VIEW, DROP TABLE|VIEW, CREATE DATABASE`);
}

class Cursor {
  private index = 0;
  constructor(private readonly sql: string, private readonly tokens: readonly Token[]) {}

  accept(...words: string[]): boolean {
    if (!words.every((w, i) => this.matches(this.tokens[this.index + i], w))) return false;
    this.index += words.length;
    return true;
  }

  expect(...words: string[]): void {
    for (const w of words) {
      const t = this.tokens[this.index];
      if (!this.matches(t, w)) throw syntax(`${this.where(t)}mismatched input '${t?.text ?? '<EOF>'}'. Expecting: '${w.toUpperCase()}'`);
      this.index++;
    }
  }

  peek(text: string): boolean {
    return this.matches(this.tokens[this.index], text);
  }

  peekAt(ahead: number, text: string): boolean {
    return this.matches(this.tokens[this.index + ahead], text);
  }

  name(): string {
    const t = this.tokens[this.index];
    if (t === undefined || (t.kind !== TokenKind.Word && t.kind !== TokenKind.QuotedIdentifier)) throw syntax(`${this.where(t)}expected a name, found '${t?.text ?? '<EOF>'}'`);
    this.index++;
    return identifierName(t);
  }

  tableName(): TableName {
    const parts = [this.name()];
    while (this.accept('.')) parts.push(this.name());
    if (parts.length > 3) throw syntax(`too many dots in table name ${parts.join('.')}`);
    const table = parts.at(-1) ?? '';
    return parts.length === 1 ? { table } : { database: parts.at(-2), table };
  }

  nameList(): string[] {
    this.expect('(');
    const names = [this.name()];
    while (this.accept(',')) names.push(this.name());
    this.expect(')');
    return names;
  }

  stringLiteral(): string {
    const t = this.tokens[this.index];
    if (t?.kind !== TokenKind.String) throw syntax(`${this.where(t)}expected a string literal, found '${t?.text ?? '<EOF>'}'`);
    this.index++;
    return t.text.slice(1, -1).replace(/''/g, "'");
  }

  properties(): Properties {
    const props: Record<string, string | readonly string[]> = {};
    this.expect('(');
    do {
      const key = this.name();
      this.expect('=');
      if (this.accept('array', '[')) {
        const items: string[] = [];
        if (!this.peek(']')) do items.push(this.stringLiteral()); while (this.accept(','));
        this.expect(']');
        props[key] = items;
      } else {
        const t = this.tokens[this.index];
        this.index++;
        props[key] = t?.kind === TokenKind.String ? t.text.slice(1, -1).replace(/''/g, "'") : (t?.text ?? '');
      }
    } while (this.accept(','));
    this.expect(')');
    return props;
  }

  /** The text up to the parenthesis closing the one just consumed; consumes it. */
  balancedUntilClose(): string {
    const start = this.tokens[this.index]?.start ?? this.sql.length;
    let depth = 1;
    while (this.index < this.tokens.length) {
      const t = this.tokens[this.index++];
      if (t?.text === '(') depth++;
      if (t?.text === ')' && --depth === 0) return this.sql.slice(start, t.start);
    }
    throw syntax('unbalanced parentheses');
  }

  rest(): string {
    const t = this.tokens[this.index];
    if (t === undefined) throw syntax('expected a query');
    return this.sql.slice(t.start);
  }

  private matches(t: Token | undefined, w: string): boolean {
    return t !== undefined && (/^\w+$/.test(w) ? isWord(t, w) : t.text === w);
  }

  private where(t: Token | undefined): string {
    const offset = t?.start ?? this.sql.length;
    const before = this.sql.slice(0, offset).split('\n');
    return `line ${before.length}:${(before.at(-1)?.length ?? 0) + 1}: `;
  }
}
