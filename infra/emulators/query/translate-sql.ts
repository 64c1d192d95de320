import { AthenaErrorName, AthenaQueryError } from './athena-query-error';
import { isWord, significant, tokenize, TokenKind, type Token } from './sql-tokenizer';
import { rewriteReduce } from './rewrite-reduce';
import { trinoTypeToDuckDb } from './trino-types';
import { convertFormat, FORMAT_FUNCTIONS, TRINO_FUNCTION_NAMES } from './trino-functions';

/** The DuckDB schema that holds the engine's Athena-shaped `information_schema` views. */
export const META_SCHEMA = '__athena_meta';

/** Translated SQL plus the map from each translated offset back to the Athena text, for error positions. */
export interface TranslatedSql {
  readonly sql: string;
  /** Sorted pairs [translatedOffset, originalOffset], one per token. */
  readonly offsets: readonly (readonly [number, number])[];
}

const INTEGER_TYPES = new Set(['tinyint', 'smallint', 'integer', 'int', 'bigint']);

/**
 * Calls whose failure `try(…)` turns into NULL, and the DuckDB form that returns NULL itself.
 * DuckDB's `try()` re-evaluates a whole vector row by row once any row in it fails, about ten times
 * slower than these on a feed with scattered bad values, so `try(f(…))` becomes the NULL-returning form.
 */
const TRY_FORMS: Readonly<Record<string, string>> = {
  cast: 'TRY_CAST',
  from_iso8601_timestamp: 'trino_try_from_iso8601_timestamp',
  from_iso8601_date: 'trino_try_from_iso8601_date',
  date_parse: 'trino_try_date_parse',
};

/**
 * The significant tokens of `try(f(…))` calls that take a NULL-returning form: `try`, its `(` and its `)`
 * (dropped), and `f` (renamed). Only a `try` whose whole argument is one such call qualifies.
 */
function tryRewrites(sig: readonly Token[]): { drop: Set<Token>; rename: Map<Token, string> } {
  const close = new Map<number, number>();
  const open: number[] = [];
  sig.forEach((t, i) => {
    if (t.text === '(') open.push(i);
    if (t.text === ')') {
      const o = open.pop();
      if (o !== undefined) close.set(o, i);
    }
  });
  const drop = new Set<Token>();
  const rename = new Map<Token, string>();
  sig.forEach((t, i) => {
    const inner = sig[i + 2];
    const form = inner ? TRY_FORMS[inner.text.toLowerCase()] : undefined;
    if (!isWord(t, 'try') || sig[i + 1]?.text !== '(' || sig[i - 1]?.text === '.' || !inner || inner.kind !== TokenKind.Word || !form || sig[i + 3]?.text !== '(') return;
    const outerClose = close.get(i + 1);
    const innerClose = close.get(i + 3);
    if (outerClose === undefined || innerClose === undefined || outerClose !== innerClose + 1) return;
    const tokens = [t, sig[i + 1], sig[outerClose]].filter((x): x is Token => x !== undefined);
    for (const x of tokens) drop.add(x);
    rename.set(inner, form);
  });
  return { drop, rename };
}

/**
 * Translates one Athena (Trino) statement to DuckDB SQL on the token stream: binds `?` to the
 * execution parameters (SQL literal texts, as Athena does), renames Trino functions to their shims,
 * rounds half away from zero before a cast to an integer type (Trino; DuckDB rounds half to even),
 * turns `try(cast(…))`, `try(from_iso8601_…(…))` and `try(date_parse(…))` into DuckDB's NULL-returning forms (see TRY_FORMS),
 * and points `information_schema.tables|columns` at the catalog-backed views. Table names are not
 * rewritten: catalog databases are DuckDB schemas, so `db.t` and unqualified `t` resolve natively.
 * Limits: string literals, quoted identifiers and comments are never touched; a function is
 * recognised as a word directly followed by `(` and not preceded by `.` or `)` (so `FILTER (WHERE`
 * after an aggregate and `schema.split(` are left alone).
 */
export function translateSql(sql: string, parameters: readonly string[] = []): TranslatedSql {
  const tokens = tokenize(rewriteReduce(sql));
  const out: { text: string; origin: number }[] = [];
  let parameterIndex = 0;
  const sig = significant(tokens);
  const tries = tryRewrites(sig);
  const nextSig = new Map<Token, Token | undefined>();
  const prevSig = new Map<Token, Token | undefined>();
  sig.forEach((t, i) => {
    nextSig.set(t, sig[i + 1]);
    prevSig.set(t, sig[i - 1]);
  });
  const casts: { depth: number; open: number | undefined; typeStart?: number }[] = [];
  let depth = 0;
  let castPending = false;
  let formatPending: 'mysql' | 'joda' | undefined;
  const formats: { depth: number; style: 'mysql' | 'joda'; arg: number }[] = [];
  for (const token of tokens) {
    if (tries.drop.has(token)) continue;
    const next = nextSig.get(token);
    const prev = prevSig.get(token);
    let text = token.text;
    if (token.kind === TokenKind.Symbol && text === '?') {
      const value = parameters[parameterIndex++];
      if (value === undefined) throw new AthenaQueryError(AthenaErrorName.GenericUserError, `Incorrect number of parameters: expected at least ${parameterIndex} but found ${parameters.length}`);
      text = value;
    } else if (text === '(') {
      depth++;
      if (castPending) casts.push({ depth, open: out.length });
      if (formatPending) formats.push({ depth, style: formatPending, arg: 0 });
      castPending = false;
      formatPending = undefined;
    } else if (text === ')') {
      const cast = casts.at(-1);
      if (cast?.depth === depth) {
        casts.pop();
        if (cast.typeStart !== undefined) collapseType(out, cast.typeStart);
      }
      if (formats.at(-1)?.depth === depth) formats.pop();
      depth--;
    } else if (text === ',' && formats.at(-1)?.depth === depth) {
      const f = formats.at(-1);
      if (f) f.arg++;
    } else if (token.kind === TokenKind.String && formats.at(-1)?.depth === depth && formats.at(-1)?.arg === 1 && prev?.text === ',' && (next?.text === ')' || next?.text === ',')) {
      const style = formats.at(-1)?.style ?? 'mysql';
      text = `'${convertFormat(text.slice(1, -1).replace(/''/g, "'"), style).replace(/'/g, "''")}'`;
    } else if (token.kind === TokenKind.Word && next?.text === '(' && prev?.text !== '.' && prev?.text !== ')') {
      const lower = text.toLowerCase();
      castPending = lower === 'cast' || lower === 'try_cast';
      formatPending = FORMAT_FUNCTIONS[lower];
      text = tries.rename.get(token) ?? TRINO_FUNCTION_NAMES[lower] ?? text;
    } else if (isWord(token, 'as') && casts.at(-1)?.depth === depth) {
      const cast = casts.at(-1);
      const open = cast?.open === undefined ? undefined : out[cast.open];
      if (cast !== undefined) cast.typeStart = out.length + 1;
      if (open !== undefined && cast !== undefined && next !== undefined && INTEGER_TYPES.has(next.text.toLowerCase())) {
        open.text = '(trino_cast_round(';
        cast.open = undefined;
        text = ') AS';
      }
    } else if (isWord(token, 'information_schema') && next?.text === '.') {
      text = `"${META_SCHEMA}"`;
    }
    out.push({ text, origin: token.start });
  }
  if (parameterIndex < parameters.length) {
    throw new AthenaQueryError(AthenaErrorName.GenericUserError, `Incorrect number of parameters: expected ${parameterIndex} but found ${parameters.length}`);
  }
  const offsets: [number, number][] = [];
  let length = 0;
  for (const piece of out) {
    offsets.push([length, piece.origin]);
    length += piece.text.length;
  }
  return { sql: out.map((p) => p.text).join(''), offsets };
}

/** Replaces the type pieces of a CAST (from `start` to the end of `out`) with DuckDB's spelling of the type. */
function collapseType(out: { text: string; origin: number }[], start: number): void {
  const first = out[start];
  if (first === undefined) return;
  const text = out.slice(start).map((p) => p.text).join('');
  const converted = trinoTypeToDuckDb(text);
  if (converted === text.trim()) return;
  out.splice(start, out.length - start, { text: ` ${converted}`, origin: first.origin });
}

/** Maps an offset in translated SQL back to the offset in the Athena text it came from. */
export function originOf(translated: TranslatedSql, offset: number): number {
  let best: readonly [number, number] = [0, 0];
  for (const pair of translated.offsets) {
    if (pair[0] > offset) break;
    best = pair;
  }
  return best[1];
}
