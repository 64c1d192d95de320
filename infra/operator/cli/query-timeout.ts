import { PipelineError } from '../../../contracts/pipeline-error';

/** How long an ad-hoc query may run before DuckDB is interrupted: 300 s, like a generous Athena console wait. */
export const DEFAULT_QUERY_TIMEOUT_MS = 300_000;

/** A query ran past its timeout and was interrupted; not retryable as is (raise the timeout or narrow the query). */
export class QueryInterruptedError extends PipelineError {
  constructor(readonly timeoutMs: number) {
    super(`query interrupted after ${timeoutMs / 1000} s (--timeout ${timeoutMs / 1000}); narrow it or give a longer --timeout`, { retryable: false });
  }
}

/**
 * Runs `work` and, once `timeoutMs` has passed, interrupts the engine until `work` settles: an
 * interrupt that lands between two statements of one query is lost, so it is repeated.
 */
export async function interruptAfter<T>(engine: { interrupt(): void }, timeoutMs: number, work: () => Promise<T>): Promise<{ result: T; interrupted: boolean }> {
  let interrupted = false;
  let repeat: NodeJS.Timeout | undefined;
  const timer = setTimeout(() => {
    interrupted = true;
    engine.interrupt();
    repeat = setInterval(() => engine.interrupt(), 250);
  }, timeoutMs);
  try {
    return { result: await work(), interrupted };
  } finally {
    clearTimeout(timer);
    clearInterval(repeat);
  }
}
