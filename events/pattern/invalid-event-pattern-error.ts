/** The prefix EventBridge puts before every pattern validation reason. */
const INVALID_PATTERN_PREFIX = 'Event pattern is not valid. Reason: ';

/**
 * Thrown when a pattern is not one EventBridge accepts; the message reads as EventBridge's would.
 *
 * Poison, never retryable: the same pattern text fails the same way every time, so the caller
 * must fix the pattern. `reason` holds the bare reason (the part after `Reason: `).
 */
export class InvalidEventPatternError extends Error {
  /** The reason alone, verbatim as EventBridge words it. */
  readonly reason: string;

  constructor(reason: string, options?: { cause?: unknown }) {
    super(`${INVALID_PATTERN_PREFIX}${reason}`, options);
    this.name = 'InvalidEventPatternError';
    this.reason = reason;
  }
}

/** Throws an InvalidEventPatternError with the given reason; typed `never` for narrowing. */
export function barf(reason: string): never {
  throw new InvalidEventPatternError(reason);
}
