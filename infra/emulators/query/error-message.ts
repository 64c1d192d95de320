/**
 * The message of anything thrown. Duck-typed rather than `instanceof Error`, because errors raised by
 * DuckDB's native binding may come from another realm (e.g. under jest) and fail that test.
 */
export function errorMessage(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string') return error.message;
  return String(error);
}
