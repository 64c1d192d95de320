import { errorMessage } from './error-message';
import { UNREADABLE_TABLE } from './unreadable-table';
import { AthenaErrorName, AthenaQueryError, QueryEngineError, type AthenaErrorKind } from './athena-query-error';
import { ATHENA_CATALOG } from './catalog-views';
import { identifierName, significant, SqlTokenizeError, tokenize, TokenKind } from './sql-tokenizer';
import { originOf, type TranslatedSql } from './translate-sql';

interface Position {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

/**
 * Rewords a DuckDB error as Athena words it: the error name Athena uses for that kind of failure,
 * and `line L:C` (1-based) pointing into the Athena text the user wrote, mapped back through the
 * translation of `source`, the part of it that was translated (the query of an UNLOAD, INSERT or CTAS). Table-not-found names the table fully qualified (`awsdatacatalog.db.t`). As Athena
 * does, what is wrong with the query (parse, bind and catalog errors, types, casts) is a USER error
 * (category 2, not retryable), so stages fail it at once as a configuration error; anything else
 * (I/O, memory, an interrupted or unknown failure) is a SYSTEM error (category 1, retryable).
 */
export function athenaErrorFromDuckDb(error: unknown, original: string, translated: TranslatedSql, database: string | undefined, source: string = original): AthenaQueryError {
  if (error instanceof AthenaQueryError) return error;
  if (error instanceof SqlTokenizeError) {
    const before = original.slice(0, error.offset).split('\n');
    return new AthenaQueryError(AthenaErrorName.SyntaxError, `line ${before.length}:${(before.at(-1)?.length ?? 0) + 1}: ${error.message}`, { cause: error });
  }
  // The engine's own refusals (an unsupported column type …) are the query's fault, as Athena's
  // USER category says; its retryable ones are the engine's (SYSTEM), like any unknown failure below.
  if (error instanceof QueryEngineError && !error.retryable) return new AthenaQueryError(AthenaErrorName.NotSupported, error.message, { cause: error });
  const message = errorMessage(error);
  const position = positionOf(message, original, translated, Math.max(original.indexOf(source), 0));
  const where = position === undefined ? '' : `line ${position.line}:${position.column}: `;
  const head = message.split('\n')[0] ?? message;
  const fail = (kind: AthenaErrorKind, detail: string): AthenaQueryError => new AthenaQueryError(kind, `${where}${detail}`, { cause: error });
  let m: RegExpExecArray | null;
  if ((m = new RegExp(`${UNREADABLE_TABLE}: (.*)`).exec(head))) return fail(AthenaErrorName.InternalError, m[1] ?? head);
  if ((m = /Table with name (.+?) does not exist/.exec(head))) {
    const name = position === undefined ? m[1] ?? '' : qualifiedNameAt(original, position.offset, database) ?? m[1] ?? '';
    return fail(AthenaErrorName.TableNotFound, `Table '${name}' does not exist`);
  }
  if ((m = /Schema with name (.+?) does not exist/.exec(head))) return fail(AthenaErrorName.SchemaNotFound, `Schema '${m[1] ?? ''}' does not exist`);
  // The database a query runs in (`SET search_path`) or names, missing from DuckDB's catalog: Athena says SCHEMA_NOT_FOUND.
  if ((m = /No catalog \+ schema named "(?:awsdatacatalog\.)?(.+?)" found/.exec(head))) return fail(AthenaErrorName.SchemaNotFound, `Schema '${m[1] ?? ''}' does not exist`);
  if ((m = /Referenced column "?(.+?)"? not found/.exec(head))) return fail(AthenaErrorName.ColumnNotFound, `Column '${m[1] ?? ''}' cannot be resolved`);
  if ((m = /Function with name (\S+) does not exist/.exec(head))) return fail(AthenaErrorName.FunctionNotFound, `Function '${(m[1] ?? '').replace(/^trino_/, '')}' not registered`);
  if (head.startsWith('Parser Error')) return fail(AthenaErrorName.SyntaxError, head.replace(/^Parser Error: /, ''));
  if (head.startsWith('Conversion Error')) return fail(AthenaErrorName.InvalidCastArgument, head.replace(/^Conversion Error: /, ''));
  if (head.startsWith('Permission Error')) return fail(AthenaErrorName.PermissionDenied, head.replace(/^Permission Error: /, ''));
  if (/No function matches|does not support the supplied arguments|Cannot compare|Cannot mix/.test(head)) return fail(AthenaErrorName.TypeMismatch, head.replace(/^\w+ Error: /, ''));
  if (/^(Binder|Catalog|Invalid Input|Out of Range|Not implemented|Invalid Error|Constraint) Error/.test(head)) return fail(AthenaErrorName.GenericUserError, head.replace(/^[\w ]+ Error: /, ''));
  return fail(AthenaErrorName.InternalError, head);
}

/** Finds DuckDB's `LINE n: …` + caret and maps it to a 1-based line and column of the original text, whose translated part starts at `base`. */
function positionOf(message: string, original: string, translated: TranslatedSql, base: number): Position | undefined {
  const m = /\nLINE (\d+): (.*)\n( *)\^/.exec(message);
  if (!m?.[1] || m[2] === undefined || m[3] === undefined) return undefined;
  const lineNo = Number(m[1]);
  const shown = m[2];
  const caret = m[3].length - `LINE ${m[1]}: `.length;
  const lines = translated.sql.split('\n');
  const lineText = lines[lineNo - 1];
  if (lineText === undefined) return undefined;
  const trimmed = shown.replace(/^\.\.\./, '');
  const shownStart = lineText.indexOf(trimmed.slice(0, 40));
  const column = (shownStart === -1 ? 0 : shownStart) + caret - (shown.length - trimmed.length);
  const lineStart = lines.slice(0, lineNo - 1).reduce((n, l) => n + l.length + 1, 0);
  const offset = base + originOf(translated, lineStart + Math.max(column, 0));
  const before = original.slice(0, offset).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1, offset };
}

/** The table reference starting at `offset` of the Athena text, qualified as `awsdatacatalog.db.t`. */
function qualifiedNameAt(original: string, offset: number, database: string | undefined): string | undefined {
  const tokens = significant(tokenize(original));
  const start = tokens.findIndex((t) => t.start === offset);
  if (start === -1) return undefined;
  const parts: string[] = [];
  for (let i = start; i < tokens.length; i += 2) {
    const t = tokens[i];
    if (t === undefined || (t.kind !== TokenKind.Word && t.kind !== TokenKind.QuotedIdentifier)) break;
    parts.push(identifierName(t));
    if (tokens[i + 1]?.text !== '.') break;
  }
  if (parts.length === 1) parts.unshift(database ?? 'default');
  if (parts.length === 2) parts.unshift(ATHENA_CATALOG);
  return parts.join('.');
}
