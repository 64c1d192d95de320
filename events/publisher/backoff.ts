/**
 * The delay before retry number `attempt` (1-based): exponential from `baseDelayMs`, capped at
 * `maxDelayMs`, with "equal jitter" — half the step is fixed and half is random — so retries from many
 * callers spread out yet every wait is at least half the step. `random` returns a number in [0, 1).
 */
export function backoffDelayMs(attempt: number, baseDelayMs: number, maxDelayMs: number, random: () => number): number {
  const step = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return step / 2 + (step / 2) * random();
}
