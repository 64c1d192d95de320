import { InvalidRunStateInputError } from '../../handlers/ports/run-store-errors';
import { StageStatus, type EventTimeRange } from '../../handlers/ports/run-store';

/**
 * Longest event-time range one object may span, in UTC days: each day costs one index item. About ten
 * years, so a dataset's whole history in one file (years of daily rows) lands; a wider range is
 * almost always a wrong event-time column or format.
 */
export const MAX_RANGE_DAYS = 3700;

const NAME = /^[A-Za-z0-9_.-]{1,128}$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const DAY_MS = 86_400_000;

/**
 * Key builders and input checks of the run table. Every instant is stored as `toISOString()` (24
 * characters, UTC, milliseconds) so that string order in keys and conditions is time order.
 */
export const RunKeys = {
  run: (runId: string) => ({ pk: `RUN#${runId}`, sk: 'RUN' }),
  stage: (runId: string, stage: string) => ({ pk: `RUN#${runId}`, sk: `STAGE#${stage}` }),
  event: (runId: string, version: string, stage: string) => ({ pk: `RUN#${runId}`, sk: `EVENT#${version}#${stage}` }),
  partition: (dataset: string, partition: string) => ({ pk: `PART#${dataset}#${partition}`, sk: 'PART' }),
  eventDay: (dataset: string, day: string, runId: string) => ({ pk: `EVT#${dataset}#${day}`, sk: runId }),
  crawl: (dataset: string, zone: string) => ({ pk: `CRAWL#${dataset}#${zone}`, sk: 'CRAWL' }),
  waitingPartition: (dataset: string, stage: string, status: string) => `WAIT#${dataset}#${stage}#${status}`,
  waiting: (dataset: string, stage: string, status: string, runId: string) => ({ pk: RunKeys.waitingPartition(dataset, stage, status), sk: runId }),
  waitIndexMarker: { pk: 'WAIT-INDEX', sk: 'v1' },
  stageFailuresPartition: 'FAILURES',
  stageFailure: (stage: string, dataset: string, zone: string) => ({ pk: 'FAILURES', sk: `${stage}#${dataset}#${zone}` }),
  runsPartition: 'RUNS',
  runsSort: (landedAt: string, runId: string) => `${landedAt}#${runId}`,
} as const;

const RANK: Record<StageStatus, number> = {
  [StageStatus.Pending]: 0,
  [StageStatus.Running]: 1,
  [StageStatus.Succeeded]: 2,
  [StageStatus.Failed]: 2,
  [StageStatus.Quarantined]: 2,
};

/**
 * The order of a transition: `<at>#<rank>`. A stage accepts a transition only with a greater version,
 * so a duplicate (same instant and rank) or a stale one (older instant) never overwrites newer state,
 * and within one millisecond a terminal status beats `running`, which beats `pending`.
 */
export function transitionVersion(at: string, status: StageStatus): string {
  return `${at}#${RANK[status]}`;
}

/** Normalises an ISO-8601 instant to `toISOString()` form; throws naming `what` when it is not one. */
export function normaliseInstant(value: string, what: string): string {
  const ms = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(ms)) {
    throw new InvalidRunStateInputError(`${what} is not an ISO-8601 instant: ${JSON.stringify(value)}`);
  }
  return new Date(ms).toISOString();
}

/** Checks a dataset, stage or zone name: 1–128 of `A-Z a-z 0-9 _ . -`. */
export function checkName(value: string, what: string): string {
  if (!NAME.test(value)) throw new InvalidRunStateInputError(`${what} must be 1-128 characters of A-Z a-z 0-9 _ . -, got ${JSON.stringify(value)}`);
  return value;
}

/** Checks a free-form key part (run id, partition, output URI): non-empty, bounded, no control character. */
export function checkText(value: string, what: string, max = 1024): string {
  if (value.length === 0 || value.length > max || CONTROL.test(value)) {
    throw new InvalidRunStateInputError(`${what} must be 1-${max} characters without control characters, got ${JSON.stringify(value.slice(0, 80))}`);
  }
  return value;
}

/** Checks a run id: like `checkText`, up to 256 characters, and no `#` (the key separator). */
export function checkRunId(runId: string): string {
  checkText(runId, 'runId', 256);
  if (runId.includes('#')) throw new InvalidRunStateInputError(`runId must not contain '#': ${JSON.stringify(runId)}`);
  return runId;
}

/** Normalises a range and checks `min <= max` and its length against MAX_RANGE_DAYS. */
export function normaliseRange(range: EventTimeRange): EventTimeRange {
  const min = normaliseInstant(range.min, 'eventTimeRange.min');
  const max = normaliseInstant(range.max, 'eventTimeRange.max');
  if (min > max) throw new InvalidRunStateInputError(`eventTimeRange.min ${min} is after eventTimeRange.max ${max}`);
  if (Math.floor(Date.parse(max) / DAY_MS) - Math.floor(Date.parse(min) / DAY_MS) + 1 > MAX_RANGE_DAYS) {
    throw new InvalidRunStateInputError(`eventTimeRange ${min} .. ${max} spans more than ${MAX_RANGE_DAYS} days; check the event-time column`);
  }
  return { min, max };
}

/** The UTC days (`yyyy-mm-dd`) from the day of `from` to the day of `to`, inclusive; at most `cap` + 1. */
export function utcDays(from: string, to: string, cap = MAX_RANGE_DAYS): string[] {
  const days: string[] = [];
  const end = Math.floor(Date.parse(to) / DAY_MS);
  for (let d = Math.floor(Date.parse(from) / DAY_MS); d <= end && days.length <= cap; d++) {
    days.push(new Date(d * DAY_MS).toISOString().slice(0, 10));
  }
  return days;
}
