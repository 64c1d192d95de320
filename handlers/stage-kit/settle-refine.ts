import { DomainDetailType } from '../../contracts/domain-events';
import type { DatasetManifest } from '../../contracts/dataset-manifest';
import { StageId } from '../../events/stage-ids';
import { StageStatus, type RowCounts, type TransitionInput } from '../ports/run-store';
import type { StageDeps } from '../stage-deps';
import { HOUR_MS, partitionOfHour, partitionPath } from './hours';
import { parseJob, REFINE_TALLY, RefineTallySchema, type RefineJob, type RefineTally } from './job-records';
import { fedHourSpans } from './refine-plan';
import { publishOrRetry } from './publish-or-retry';
import { stageFailedDetail } from './report-failure';
import { AccountingError, accountingMessage, sumRowCounts, sumWritten, unaccounted, type WrittenRows } from './row-accounting';

/** The ports this module's calls use. */
type KitDeps = Pick<StageDeps, 'clock' | 'jobs' | 'publisher' | 'runs'>;

/**
 * The tallies of every window of a refine, once all are recorded (`undefined` while some window's
 * query has not been announced yet). `own` is the caller's, just recorded.
 */
export async function windowTallies(deps: KitDeps, job: RefineJob, own: RefineTally): Promise<RefineTally[] | undefined> {
  const tallies: RefineTally[] = [];
  for (const id of job.windowJobIds) {
    if (id === job.jobId) {
      tallies.push(own);
      continue;
    }
    const record = await deps.jobs.getJob(REFINE_TALLY, id);
    if (!record) return undefined;
    const tally = parseJob(RefineTallySchema, record, `tally of refine window ${id}`);
    if (tally.swappedHours === undefined) return undefined;
    tallies.push(tally);
  }
  return tallies;
}

/**
 * Ends a refine once every window has tallied: accounts for every row of each run's raw object
 * (read = refined + rejected + duplicates, from what the windows staged and the rejects written),
 * records the counts and lineage in run state, fails each run whose rows do not balance with a
 * `StageFailed` (`accounting`) naming its object and the missing count, and announces one
 * `RefinedWritten` for the runs that balance, with every partition the windows swapped in (none when
 * newer refines took every one over: the runs must still reach the end of their chain).
 */
export async function settleRefine(deps: KitDeps, manifest: DatasetManifest, job: RefineJob, tallies: readonly RefineTally[]): Promise<void> {
  const keys = manifest.partitioning.keys;
  if (job.backfillId !== undefined && job.runIds.length === 0) return announceBackfill(deps, keys, job, job.backfillId, tallies);
  const runs = new Map((await deps.runs.getRunSummaries(job.runIds)).map((r) => [r.runId, r]));
  const written = sumWritten(tallies.map((t) => new Map(t.written.map(([o, refined, duplicates]): [string, WrittenRows] => [o, { refined, duplicates }]))));
  const swapped = [...new Set(tallies.flatMap((t) => t.swappedHours ?? []))].sort((a, b) => a - b);
  const base = job.hours[0] ?? 0;
  const spans = job.fedHours?.length === job.runIds.length ? job.fedHours : fedHourSpans(manifest, job.runIds, [...runs.values()], base);
  const at = deps.clock().toISOString();
  const transitions: TransitionInput[] = [];
  const failures: { runId: string; error: AccountingError }[] = [];
  const balanced: { runId: string; counts: RowCounts }[] = [];
  job.runIds.forEach((runId, i) => {
    const run = runs.get(runId);
    const uri = run ? `s3://${run.object.bucket}/${run.object.key}` : runId;
    const rows = written.get(uri) ?? { refined: 0, duplicates: 0 };
    const counts: RowCounts = { read: job.rowsRead[i] ?? 0, refined: rows.refined, rejected: job.rowsRejected[i] ?? 0, duplicates: rows.duplicates };
    const span = spans[i];
    const fed = span ? swapped.filter((h) => h >= base + span[0] * HOUR_MS && h <= base + span[1] * HOUR_MS).map((h) => partitionPath(partitionOfHour(h, keys), keys)) : [];
    const common = { runId, stage: StageId.Refine, at, refinedPartitions: fed, rowCounts: counts, ...(job.startedAt ? { startedAt: job.startedAt } : {}) };
    if (unaccounted(counts) === 0) {
      balanced.push({ runId, counts });
      transitions.push({ ...common, status: StageStatus.Succeeded });
      return;
    }
    const error = new AccountingError(accountingMessage(uri, counts));
    failures.push({ runId, error });
    transitions.push({ ...common, status: StageStatus.Failed, error: { errorClass: error.errorClass, message: error.message, retryable: false } });
  });
  await deps.runs.transitionMany(transitions);
  if (failures.length > 0) {
    await publishOrRetry(deps.publisher, failures.map(({ runId, error }) => {
      const run = runs.get(runId);
      return { detailType: DomainDetailType.StageFailed, detail: stageFailedDetail({ stage: StageId.Refine, dataset: job.dataset, zone: 'refined', runId, ...(run ? { object: run.object } : {}) }, error, deps.clock()) };
    }));
  }
  if (balanced.length === 0) return;
  // A refine superseded in every partition still announces its runs, with no partitions and no rows:
  // a newer refine rewrote their hours from every object (theirs too), and the forecast ends them.
  const rowCounts = sumRowCounts(balanced.map((b) => b.counts));
  await publishOrRetry(deps.publisher, [
    {
      detailType: DomainDetailType.RefinedWritten,
      detail: {
        schemaVersion: 1,
        dataset: job.dataset,
        partitions: swapped.map((h) => partitionOfHour(h, keys)),
        rows: swapped.length === 0 ? 0 : tallies.reduce((n, t) => n + t.rows, 0),
        rejectedRows: rowCounts.rejected,
        rowCounts,
        runIds: balanced.map((b) => b.runId),
        queryExecutionIds: tallies.map((t) => t.queryExecutionId),
      },
    },
  ]);
}

/**
 * Ends a backfill's refine (no runs: nothing to account per object, the landings were accounted when
 * they were refined): one `RefinedWritten` naming the backfill and every partition its windows swapped
 * in, so the refined crawl, the views and the forecast follow as for any refine.
 */
async function announceBackfill(deps: KitDeps, keys: readonly string[], job: RefineJob, backfillId: string, tallies: readonly RefineTally[]): Promise<void> {
  const swapped = [...new Set(tallies.flatMap((t) => t.swappedHours ?? []))].sort((a, b) => a - b);
  await publishOrRetry(deps.publisher, [
    {
      detailType: DomainDetailType.RefinedWritten,
      detail: {
        schemaVersion: 1,
        dataset: job.dataset,
        partitions: swapped.map((h) => partitionOfHour(h, keys)),
        rows: swapped.length === 0 ? 0 : tallies.reduce((n, t) => n + t.rows, 0),
        rejectedRows: 0,
        rowCounts: { read: 0, refined: 0, rejected: 0, duplicates: 0 },
        runIds: [],
        backfillId,
        queryExecutionIds: tallies.map((t) => t.queryExecutionId),
      },
    },
  ]);
}
