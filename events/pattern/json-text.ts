import { UncomparableNumber, isComparableNumberText } from './uncomparable-number';

/** A JSON syntax error worded as EventBridge's parser (Jackson) words it, location included. */
export class JsonSyntaxError extends Error {
  constructor(reason: string, text: string, at: number) {
    super(`${reason}\n at ${jacksonLocation(text, at)}`);
    this.name = 'JsonSyntaxError';
  }
}

const MAX_SOURCE_CHARS = 500;
const VALUE_LIST = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')";

/** Jackson's location suffix: `[Source: (String)"<text>"; line: L, column: C]`, the text cut at 500 characters. */
export function jacksonLocation(text: string, at: number): string {
  const shown = text.length > MAX_SOURCE_CHARS ? `"${text.slice(0, MAX_SOURCE_CHARS)}"[truncated ${text.length - MAX_SOURCE_CHARS} chars]` : `"${text}"`;
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  const column = at - (before.lastIndexOf('\n') + 1) + 1;
  return `[Source: (String)${shown}; line: ${line}, column: ${column}]`;
}

function charDescription(char: string): string {
  const code = char.charCodeAt(0);
  if (code < 0x20 || code === 0x7f) return `(CTRL-CHAR, code ${code})`;
  if (code > 255) return `'${char}' (code ${code} / 0x${code.toString(16)})`;
  return `'${char}' (code ${code})`;
}

/**
 * Parses JSON text exactly: numbers that a double cannot hold exactly become
 * {@link UncomparableNumber}s (their text kept), others JS numbers. Syntax errors throw
 * {@link JsonSyntaxError} with Jackson's wording and location, as EventBridge reports them. Content
 * after the first complete value is ignored, as EventBridge's streaming parser stops there.
 */
export function parseJsonText(text: string): unknown {
  const parser = new Parser(text);
  parser.skipSpace();
  return parser.value();
}

/**
 * Whether plain `JSON.parse` reads every number of `text` exactly: no run of 16 or more digits and
 * dots (a decimal of at most 15 significant digits is always exactly a double's shortest form) and no
 * exponent of three digits. Conservative: a long digit run inside a string only costs the exact parse.
 * A plain loop, because a regular expression for this costs as much as the parse itself.
 */
export function hasOnlyExactNumbers(text: string): boolean {
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code >= 48 && code <= 57) || code === 46) {
      run += 1;
      if (run >= 16) return false;
      continue;
    }
    if ((code === 101 || code === 69) && run > 0 && exponentDigits(text, i + 1) >= 3) return false;
    run = 0;
  }
  return true;
}

function exponentDigits(text: string, from: number): number {
  let at = from;
  const sign = text.charCodeAt(at);
  if (sign === 43 || sign === 45) at += 1;
  let digits = 0;
  while (at < text.length && text.charCodeAt(at) >= 48 && text.charCodeAt(at) <= 57) {
    digits += 1;
    at += 1;
  }
  return digits;
}

class Parser {
  private at = 0;

  constructor(private readonly text: string) {}

  skipSpace(): void {
    while (this.at < this.text.length && ' \t\r\n'.includes(this.text[this.at] ?? '')) this.at += 1;
  }

  value(): unknown {
    const char = this.text[this.at];
    if (char === undefined) this.endOfInput('expected a value');
    if (char === '{') return this.object();
    if (char === '[') return this.array();
    if (char === '"') return this.string('a string value');
    if (char === '-' || (char >= '0' && char <= '9')) return this.number();
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.text.startsWith(word, this.at) && !/[\p{ID_Continue}$]/u.test(this.text[this.at + word.length] ?? ' ')) {
        this.at += word.length;
        return value;
      }
    }
    if (/[\p{ID_Start}$_]/u.test(char)) {
      const token = /^[\p{ID_Continue}$]{1,256}/u.exec(this.text.slice(this.at))?.[0] ?? char;
      throw new JsonSyntaxError(`Unrecognized token '${token}': was expecting ${VALUE_LIST}`, this.text, this.at + token.length);
    }
    if (char === ']' || char === '}' || char === ',') this.unexpected('expected a value');
    return this.unexpected(`expected a valid value ${VALUE_LIST}`);
  }

  private object(): Record<string, unknown> {
    const start = this.at;
    this.at += 1;
    const out: Record<string, unknown> = {};
    this.skipSpace();
    if (this.text[this.at] === '}') {
      this.at += 1;
      return out;
    }
    for (;;) {
      this.skipSpace();
      if (this.at >= this.text.length) this.endOfInput(`expected close marker for OBJECT (start marker at ${jacksonLocation(this.text, start)})`);
      if (this.text[this.at] !== '"') this.unexpected('was expecting double-quote to start field name');
      const key = this.string('a field name');
      this.skipSpace();
      if (this.at >= this.text.length) this.endOfInput(`expected close marker for OBJECT (start marker at ${jacksonLocation(this.text, start)})`);
      if (this.text[this.at] !== ':') this.unexpected('was expecting a colon to separate field name and value');
      this.at += 1;
      this.skipSpace();
      Object.defineProperty(out, key, { value: this.value(), enumerable: true, writable: true, configurable: true });
      this.skipSpace();
      const next = this.text[this.at];
      if (next === undefined) this.endOfInput(`expected close marker for OBJECT (start marker at ${jacksonLocation(this.text, start)})`);
      this.at += 1;
      if (next === '}') return out;
      if (next !== ',') this.unexpected('was expecting comma to separate Object entries', this.at - 1);
    }
  }

  private array(): unknown[] {
    const start = this.at;
    this.at += 1;
    const out: unknown[] = [];
    this.skipSpace();
    if (this.text[this.at] === ']') {
      this.at += 1;
      return out;
    }
    for (;;) {
      this.skipSpace();
      if (this.at >= this.text.length) this.endOfInput(`expected close marker for ARRAY (start marker at ${jacksonLocation(this.text, start)})`);
      out.push(this.value());
      this.skipSpace();
      const next = this.text[this.at];
      if (next === undefined) this.endOfInput(`expected close marker for ARRAY (start marker at ${jacksonLocation(this.text, start)})`);
      this.at += 1;
      if (next === ']') return out;
      if (next !== ',') this.unexpected('was expecting comma to separate Array entries', this.at - 1);
    }
  }

  private string(what: string): string {
    const start = this.at;
    this.at += 1;
    let escaped = false;
    for (;;) {
      const char = this.text[this.at];
      if (char === undefined) this.endOfInput(what === 'a field name' ? 'was expecting closing quote for a field name' : `was expecting closing quote for ${what}`);
      if (char === '"') break;
      const code = char.charCodeAt(0);
      if (code < 0x20) throw new JsonSyntaxError(`Illegal unquoted character (${charDescription(char)}): has to be escaped using backslash to be included in ${what === 'a field name' ? 'name' : 'string value'}`, this.text, this.at + 1);
      if (char === '\\') {
        escaped = true;
        const escape = this.text[this.at + 1] ?? '';
        if (escape === 'u') {
          if (!/^[0-9A-Fa-f]{4}$/.test(this.text.slice(this.at + 2, this.at + 6))) throw new JsonSyntaxError('Unexpected character in Unicode escape: expected a hex-digit for character escape sequence', this.text, this.at + 2);
          this.at += 6;
          continue;
        }
        if (!'"\\/bfnrt'.includes(escape) || escape === '') throw new JsonSyntaxError(`Unrecognized character escape ${charDescription(escape)}`, this.text, this.at + 2);
        this.at += 2;
        continue;
      }
      this.at += 1;
    }
    this.at += 1;
    const raw = this.text.slice(start, this.at);
    return escaped ? String(JSON.parse(raw)) : raw.slice(1, -1);
  }

  private number(): number | UncomparableNumber {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.text.slice(this.at));
    if (match === null) {
      const next = this.text[this.at + 1];
      if (next === undefined) this.endOfInput('in a Number value');
      return this.unexpected('expected digit (0-9) to follow minus sign, for valid numeric value', this.at + 1);
    }
    const token = match[0];
    const after = this.text[this.at + token.length];
    if (match[1] === '0' && after !== undefined && after >= '0' && after <= '9') throw new JsonSyntaxError('Invalid numeric value: Leading zeroes not allowed', this.text, this.at + 1);
    this.at += token.length;
    return isComparableNumberText(token) ? Number(token) : new UncomparableNumber(token);
  }

  private unexpected(expectation: string, at = this.at): never {
    throw new JsonSyntaxError(`Unexpected character (${charDescription(this.text[at] ?? '')}): ${expectation}`, this.text, at);
  }

  private endOfInput(expectation: string): never {
    throw new JsonSyntaxError(`Unexpected end-of-input: ${expectation}`, this.text, this.text.length);
  }
}
