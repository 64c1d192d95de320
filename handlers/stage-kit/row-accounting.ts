import { ErrorClass } from '../../contracts/domain-events';
import type { RowCounts } from '../ports/run-store';
import { StageError } from './stage-error';

/**
 * Rows of raw objects that a refine could not account for: read ≠ refined + rejected + duplicates
 * (DESIGN.md invariant 7). Never retried: the same SQL over the same objects loses the same rows, so
 * the run fails at once and pages (error class `accounting`).
 */
export class AccountingError extends StageError {
  override readonly name = 'AccountingError';
  constructor(message: string) {
    super(message, { retryable: false, errorClass: ErrorClass.Accounting });
  }
}

/** What the refine wrote of one raw object: rows in its staged output with it as source, and copies dropped as duplicates. */
export interface WrittenRows {
  readonly refined: number;
  readonly duplicates: number;
}

/** Rows read minus rows accounted for: 0 when they balance, > 0 when rows were lost, < 0 when more were written than read. */
export function unaccounted(counts: RowCounts): number {
  return counts.read - counts.refined - counts.rejected - counts.duplicates;
}

/** `read 10 = refined 7 + rejected 2 + duplicates 1`, with `≠` and the difference when they do not balance. */
export function describeRowCounts(counts: RowCounts): string {
  const missing = unaccounted(counts);
  const sum = `refined ${counts.refined} + rejected ${counts.rejected} + duplicates ${counts.duplicates}`;
  if (missing === 0) return `read ${counts.read} = ${sum}`;
  return `read ${counts.read} ≠ ${sum} (${missing > 0 ? `${missing} missing` : `${-missing} more written than read`})`;
}

/**
 * The message of an object whose rows do not balance: which object, how many rows, and what that
 * usually means, so the alert says what to look at.
 */
export function accountingMessage(object: string, counts: RowCounts): string {
  const missing = unaccounted(counts);
  const what = missing > 0
    ? `${missing} of its ${counts.read} rows were neither refined, rejected with a reason, nor dropped as duplicates (the refine SQL filters rows its rejects SQL does not reject, or a column was renamed or retyped)`
    : `${-missing} more rows were written than read from it (the refine SQL repeats rows, e.g. a join that fans out)`;
  return `${object}: ${what}; ${describeRowCounts(counts)}`;
}

/** Adds what several windows of one refine wrote of each object. */
export function sumWritten(parts: readonly ReadonlyMap<string, WrittenRows>[]): Map<string, WrittenRows> {
  const total = new Map<string, WrittenRows>();
  for (const part of parts) {
    for (const [object, rows] of part) {
      const before = total.get(object) ?? { refined: 0, duplicates: 0 };
      total.set(object, { refined: before.refined + rows.refined, duplicates: before.duplicates + rows.duplicates });
    }
  }
  return total;
}

/** Sums row counts (e.g. over the runs one event announces). */
export function sumRowCounts(all: readonly RowCounts[]): RowCounts {
  return all.reduce((a, c) => ({ read: a.read + c.read, refined: a.refined + c.refined, rejected: a.rejected + c.rejected, duplicates: a.duplicates + c.duplicates }), { read: 0, refined: 0, rejected: 0, duplicates: 0 });
}
