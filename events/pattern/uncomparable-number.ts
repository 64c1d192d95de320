/**
 * A JSON number that no IEEE-754 double holds exactly (an integer beyond 2^53 such as
 * 9007199254740993, more decimals than a double keeps, or out of range), kept as its text.
 *
 * EventBridge's engine (event-ruler's ComparableNumber) compares numbers as doubles only when the
 * double equals the written decimal exactly; any other number is matched by its text alone, never
 * by value and never by a numeric range. Parsing such a number into a JS number would silently round
 * it and let 9007199254740993 match 9007199254740992, so the engine keeps the text instead.
 */
export class UncomparableNumber {
  // A private field, so that walking a pattern path through an event never finds a member here.
  readonly #text: string;

  constructor(text: string) {
    this.#text = text;
  }

  /** The number exactly as written. */
  digits(): string {
    return this.#text;
  }

  /** Serialises tagged, so it never collides with the string of the same digits (probe cache keys). */
  toJSON(): { readonly uncomparableNumber: string } {
    return { uncomparableNumber: this.#text };
  }
}

interface Decimal {
  readonly negative: boolean;
  readonly digits: string;
  readonly exponent: number;
}

/** Decimal value of a JSON number's text as sign, significant digits and exponent (zero has no digits). */
function decimalOf(text: string): Decimal {
  const match = /^(-?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  const integer = match?.[2] ?? '';
  const fraction = match?.[3] ?? '';
  let digits = `${integer}${fraction}`;
  let exponent = Number(match?.[4] ?? '0') - fraction.length;
  digits = digits.replace(/^0+/, '');
  const trimmed = digits.replace(/0+$/, '');
  exponent += digits.length - trimmed.length;
  return { negative: match?.[1] === '-' && trimmed !== '', digits: trimmed, exponent: trimmed === '' ? 0 : exponent };
}

/**
 * Whether a JSON number's text is exactly a double (event-ruler's test: the BigDecimal of the text
 * equals the BigDecimal of the double's shortest decimal), so it can be compared by value.
 */
export function isComparableNumberText(text: string): boolean {
  const value = Number(text);
  if (!Number.isFinite(value)) return false;
  const written = decimalOf(text);
  const held = decimalOf(String(value));
  return written.negative === held.negative && written.digits === held.digits && written.exponent === held.exponent;
}
