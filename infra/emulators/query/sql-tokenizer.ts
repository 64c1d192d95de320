import { QueryEngineError } from './athena-query-error';

/** Kinds of SQL tokens the rewriter tells apart. */
export const TokenKind = {
  Word: 'word',
  QuotedIdentifier: 'quoted',
  String: 'string',
  Number: 'number',
  Symbol: 'symbol',
  Space: 'space',
} as const;
/** One token kind. */
export type TokenKind = (typeof TokenKind)[keyof typeof TokenKind];

/** A token: its kind, exact source text and offset in the source. */
export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly start: number;
}

/** Thrown for text the tokenizer cannot read (an unterminated string, quoted identifier or comment); poison. */
export class SqlTokenizeError extends QueryEngineError {
  constructor(message: string, readonly offset: number) {
    super(message, false);
  }
}

/**
 * Splits SQL into tokens whose texts concatenate back to the input exactly. String literals
 * ('…' with '' escapes), quoted identifiers ("…" with "" escapes) and comments (-- and /* *\/) are
 * single tokens, so rewrites never touch their insides.
 */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const push = (kind: TokenKind, end: number): void => {
    tokens.push({ kind, text: sql.slice(i, end), start: i });
    i = end;
  };
  while (i < sql.length) {
    const c = sql[i] ?? '';
    const next = sql[i + 1] ?? '';
    if (/\s/.test(c)) push(TokenKind.Space, scanWhile(sql, i, (ch) => /\s/.test(ch)));
    else if (c === '-' && next === '-') push(TokenKind.Space, lineEnd(sql, i));
    else if (c === '/' && next === '*') push(TokenKind.Space, blockCommentEnd(sql, i));
    else if (c === "'") push(TokenKind.String, quotedEnd(sql, i, "'", 'string literal'));
    else if (c === '"') push(TokenKind.QuotedIdentifier, quotedEnd(sql, i, '"', 'quoted identifier'));
    else if (/[A-Za-z_]/.test(c)) push(TokenKind.Word, scanWhile(sql, i, (ch) => /[A-Za-z0-9_$]/.test(ch)));
    else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(next))) push(TokenKind.Number, numberEnd(sql, i));
    else push(TokenKind.Symbol, i + 1);
  }
  return tokens;
}

function scanWhile(sql: string, from: number, ok: (ch: string) => boolean): number {
  let j = from;
  while (j < sql.length && ok(sql[j] ?? '')) j++;
  return j;
}

function lineEnd(sql: string, from: number): number {
  const j = sql.indexOf('\n', from);
  return j === -1 ? sql.length : j;
}

function blockCommentEnd(sql: string, from: number): number {
  const j = sql.indexOf('*/', from + 2);
  if (j === -1) throw new SqlTokenizeError('unterminated /* comment', from);
  return j + 2;
}

function quotedEnd(sql: string, from: number, quote: string, what: string): number {
  let j = from + 1;
  for (;;) {
    const k = sql.indexOf(quote, j);
    if (k === -1) throw new SqlTokenizeError(`unterminated ${what}`, from);
    if (sql[k + 1] === quote) j = k + 2;
    else return k + 1;
  }
}

function numberEnd(sql: string, from: number): number {
  const m = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(sql.slice(from));
  return from + (m?.[0].length ?? 1);
}

/** The significant tokens (no whitespace or comments), for keyword matching. */
export function significant(tokens: readonly Token[]): Token[] {
  return tokens.filter((t) => t.kind !== TokenKind.Space);
}

/** True when the token is the word `keyword` (case-insensitive). */
export function isWord(token: Token | undefined, keyword: string): boolean {
  return token?.kind === TokenKind.Word && token.text.toLowerCase() === keyword.toLowerCase();
}

/** An identifier token's name: quoted identifiers unquoted, plain words lower-cased (Athena folds case). */
export function identifierName(token: Token): string {
  if (token.kind === TokenKind.QuotedIdentifier) return token.text.slice(1, -1).replace(/""/g, '"');
  return token.text.toLowerCase();
}
