/** The moments at which the local services can be made to crash, for crash-recovery tests. */
export type CrashPoint = 'query-written' | 'crawl-written' | 'transform-written';

/**
 * A deterministic crash for tests: when `TRIBUTARY_CRASH_AT` is `<point>` or `<point>:<text>` and
 * `subject` contains `<text>`, the process kills itself with SIGKILL here, as `kill -9` would, with
 * nothing flushed or closed. The local services call it right after a job has written output and
 * before it reports an outcome: `query-written` once a query's statement has run (its files are
 * written; subject: the workgroup), `crawl-written` once a crawl has written the catalog (subject:
 * the crawler name), `transform-written` once a transform has written its first output object
 * (subject: the job name). Unset, it does nothing.
 */
export function crashPoint(point: CrashPoint, subject: string): void {
  const wanted = process.env.TRIBUTARY_CRASH_AT;
  if (wanted === undefined || wanted === '') return;
  const colon = wanted.indexOf(':');
  const name = colon < 0 ? wanted : wanted.slice(0, colon);
  const text = colon < 0 ? '' : wanted.slice(colon + 1);
  if (name === point && subject.includes(text)) process.kill(process.pid, 'SIGKILL');
}
