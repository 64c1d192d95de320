import { AthenaErrorName, AthenaQueryError } from './athena-query-error';
import { isWord, significant, tokenize, type Token } from './sql-tokenizer';

/**
 * Rewrites Trino's `reduce(array, initial, (s, x) -> …, s -> …)` to DuckDB's
 * `list_transform([list_reduce(array, (s, x) -> …, initial)], s -> …)[1]`: DuckDB's reduce takes the
 * initial state last and has no output function, so the output lambda is applied through a
 * one-element `list_transform`. DuckDB requires the state to have the element type (Trino allows any,
 * e.g. a ROW accumulator). Runs on the Athena text before translation; only texts that call `reduce`
 * change, so error positions elsewhere stay exact.
 */
export function rewriteReduce(sql: string): string {
  let text = sql;
  for (let guard = 0; guard < 1000; guard++) {
    const tokens = significant(tokenize(text));
    const at = tokens.findIndex((t, i) => isWord(t, 'reduce') && tokens[i + 1]?.text === '(' && tokens[i - 1]?.text !== '.' && tokens[i - 1]?.text !== ')');
    const name = tokens[at];
    if (name === undefined) return text;
    const { args, close } = callArguments(text, tokens, at + 1);
    if (args.length !== 4) throw new AthenaQueryError(AthenaErrorName.FunctionNotFound, `reduce expects 4 arguments (array, initial state, input function, output function), got ${args.length}`);
    const [array, initial, input, output] = args;
    text = `${text.slice(0, name.start)}list_transform([list_reduce(${array}, ${input}, ${initial})], ${output})[1]${text.slice(close.start + 1)}`;
  }
  return text;
}

/** The top-level argument texts of the call whose `(` is `tokens[open]`, and its closing token. */
function callArguments(text: string, tokens: readonly Token[], open: number): { args: string[]; close: Token } {
  const args: string[] = [];
  let depth = 0;
  let start = (tokens[open]?.start ?? 0) + 1;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i];
    if (t === undefined) break;
    if (t.text === '(' || t.text === '[') depth++;
    if (t.text === ')' || t.text === ']') depth--;
    if (depth === 1 && t.text === ',') {
      args.push(text.slice(start, t.start).trim());
      start = t.start + 1;
    }
    if (depth === 0) {
      args.push(text.slice(start, t.start).trim());
      return { args: args.filter((a, j) => a !== '' || j > 0), close: t };
    }
  }
  throw new AthenaQueryError(AthenaErrorName.SyntaxError, 'unbalanced parentheses in reduce(…)');
}
