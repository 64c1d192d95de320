import type { DatasetManifest } from '../../contracts/dataset-manifest';
import { parseScheduleExpression } from '../../contracts/schedule-expression';
import type { RunSummary } from '../ports/run-store';
import { awaitsRawCrawl } from './awaiting-runs';

/**
 * When the tick that should cover a registered run of a batch-triggered dataset is due (ms): the
 * schedule's first slot after the run was registered (for `rate(...)`, whose slots count from the
 * rule's creation, one period after it: never earlier than the real tick). Undefined when the dataset
 * has no batch trigger or the run does not wait for a raw crawl.
 */
export function tickDueFor(manifest: Pick<DatasetManifest, 'trigger'> | undefined, run: RunSummary): number | undefined {
  const expression = manifest?.trigger?.schedule;
  if (expression === undefined || !awaitsRawCrawl(run)) return undefined;
  const registered = Date.parse(run.updatedAt);
  return parseScheduleExpression(expression)?.nextAfter(registered, registered);
}
