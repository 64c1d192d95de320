/**
 * The run-state port: what the stages record about each landed object and read back.
 *
 * A run is one landed object (one `RawLanded`). Each stage moves it through `StageStatus` values;
 * the store keeps per-stage timestamps, errors, lineage (object → refined partitions → forecast
 * outputs), each object's event-time range (so refine can find every object overlapping a window),
 * and one "pending crawl" flag per dataset and zone for crawl coalescing. The DynamoDB adapter serves
 * it on AWS and against dynalite locally.
 */
import { StageId } from '../../events/stage-ids';

/** Where a stage stands for one run. `succeeded`, `failed` and `quarantined` are terminal. */
export const StageStatus = {
  Pending: 'pending',
  Running: 'running',
  Succeeded: 'succeeded',
  Failed: 'failed',
  Quarantined: 'quarantined',
} as const;
/** One stage status. */
export type StageStatus = (typeof StageStatus)[keyof typeof StageStatus];

/** The object a run is about, as the S3 `Object Created` event names it. */
export interface LandedObject {
  readonly bucket: string;
  readonly key: string;
  readonly etag: string;
  readonly size: number;
}

/** The span of event times an object holds, inclusive, as ISO-8601 instants. */
export interface EventTimeRange {
  readonly min: string;
  readonly max: string;
}

/** A failure as run state keeps it: the error class, its message (the first 4,000 characters), and whether a retry may help. */
export interface RunError {
  readonly errorClass: string;
  readonly message: string;
  readonly retryable: boolean;
}

/**
 * How the refine accounted for the rows of one raw object (DESIGN.md invariant 7): `read` rows were
 * read from it; `refined` are in the refined table with it as their source, `rejected` are in its
 * rejects file with a reason, `duplicates` were dropped as copies of a refined reading. They balance
 * when read = refined + rejected + duplicates; a refine that finds otherwise fails the run.
 */
export interface RowCounts {
  readonly read: number;
  readonly refined: number;
  readonly rejected: number;
  readonly duplicates: number;
}

/** What `recordLanding` stores; `runId` is the caller's (stable for one object version). */
export interface LandingInput {
  readonly runId: string;
  readonly dataset: string;
  readonly object: LandedObject;
  readonly landedAt: string;
  readonly eventTimeRange?: EventTimeRange;
}

/** A run as listed: the landing plus the most recent transition of any stage. */
export interface RunSummary extends LandingInput {
  readonly lastStage?: string;
  readonly lastStatus?: StageStatus;
  readonly updatedAt: string;
  /** The error of the last failed or quarantined transition, if the run has one. */
  readonly error?: RunError;
  /** The object's row accounting, once a refine recorded it. */
  readonly rowCounts?: RowCounts;
  /**
   * The rows (records) the object holds, counted from its bytes when it landed (JSON lines), the
   * left side of its row accounting: counted apart from the catalog and the SQL, so a file the raw
   * table does not read, or rows a reader skips, cannot balance by omission.
   */
  readonly rowsAtLanding?: number;
}

/** One stage of one run: its status, attempt count and timings (ISO instants). */
export interface StageRecord {
  readonly stage: string;
  readonly status: StageStatus;
  readonly attempts: number;
  readonly pendingAt?: string;
  readonly startedAt?: string;
  readonly endedAt?: string;
  readonly updatedAt: string;
  readonly error?: RunError;
}

/** One applied transition, in the order they happened. */
export interface TimelineEntry {
  readonly at: string;
  readonly stage: string;
  readonly status: StageStatus;
  readonly error?: RunError;
}

/** A run with everything `tributary run <id>` shows. */
export interface RunDetail {
  readonly run: RunSummary;
  readonly stages: readonly StageRecord[];
  readonly timeline: readonly TimelineEntry[];
  /** The refined partitions this object fed, each with the forecast outputs made from it. */
  readonly lineage: readonly { readonly partition: string; readonly forecastOutputs: readonly string[] }[];
}

/** A stage transition. `at` orders transitions: one older than the stored state is ignored. */
export interface TransitionInput {
  readonly runId: string;
  readonly stage: string;
  readonly status: StageStatus;
  readonly at?: string;
  readonly error?: RunError;
  /**
   * Refined partitions the run fed, added to its lineage (object → refined partitions) with the
   * transition — also when the transition itself is stale, since lineage only grows.
   */
  readonly refinedPartitions?: readonly string[];
  /**
   * When the stage started for this run, if that start went to the timeline only (`recordStarts`):
   * a terminal transition then takes it as the stage's start and counts the attempt. Not after `at`.
   */
  readonly startedAt?: string;
  /**
   * The object's row accounting, as the refine counted it: stored with the transition when it
   * applies, replacing earlier counts (a later refine of the same object counts the same rows).
   */
  readonly rowCounts?: RowCounts;
}

/**
 * A stage's start on one run, for `recordStarts`. `endedAt` is for a stage that keeps no state of its
 * own in the run (an announce step, a crawl request): its end goes to the timeline too, as a
 * `succeeded` entry, so the run's timeline shows the step without another write to the run item.
 */
export interface StageStart {
  readonly runId: string;
  readonly stage: string;
  readonly at: string;
  readonly endedAt?: string;
}

/** A raw object found by an event-time window query. */
export interface IndexedObject {
  readonly runId: string;
  readonly object: LandedObject;
  readonly eventTimeRange: EventTimeRange;
  readonly landedAt: string;
}

/** The pending-crawl flag of one dataset and zone; `version` identifies this setting of it. */
export interface PendingCrawl {
  readonly dataset: string;
  readonly zone: string;
  readonly version: string;
  readonly since: string;
  /** How many requests found the crawler busy since the flag was set (the first included). */
  readonly requests: number;
}

/**
 * A failure that concerns no run — a dataset's views, a crawl of the refined or forecast zone — kept
 * open until the same stage succeeds for the same dataset and zone, so `wait` can count it.
 */
export interface StageFailureRecord {
  readonly stage: string;
  readonly dataset?: string;
  readonly zone?: string;
  readonly error: RunError;
  readonly at: string;
}

/** A run state as `listRunsIn` asks for it: a stage and the status of the run's last transition. */
export interface RunState {
  readonly stage: string;
  readonly status: StageStatus;
}

/**
 * The run states that `listRunsIn` finds without listing every run: the states in which a run waits
 * for an event of its whole dataset. A run registered (`register-landing` succeeded, nothing later)
 * waits for a raw crawl; a run whose forecast is pending waits for the refined table's crawl. Each
 * such event asks for its dataset's waiting runs, so this read must cost the same for the first file
 * of a lake as for its ten-thousandth.
 */
export const IndexedRunStates = {
  AwaitingRawCrawl: { stage: StageId.RegisterLanding, status: StageStatus.Succeeded },
  ForecastPending: { stage: StageId.Forecast, status: StageStatus.Pending },
} as const satisfies Record<string, RunState>;

/** A page of runs, newest first; pass `cursor` back to get the next page. */
export interface RunPage {
  readonly runs: readonly RunSummary[];
  readonly cursor?: string;
}

/**
 * Record and read run state. Every write is idempotent and ordered: a duplicate or stale call
 * (at-least-once delivery, replays) resolves without overwriting newer state. Missing runs read as
 * `undefined`; writes about a missing run throw the adapter's RunNotFoundError (poison).
 */
export interface RunStore {
  /** Creates the run; `created: false` when it exists for the same object (a duplicate landing). */
  recordLanding(input: LandingInput): Promise<{ created: boolean }>;
  /**
   * Sets the object's event-time range and indexes it for `findObjectsOverlapping`; with `rows`, also
   * the rows it holds as counted at landing (`rowsAtLanding`), in the same write.
   */
  setEventTimeRange(runId: string, range: EventTimeRange, rows?: number): Promise<void>;
  /** Applies a transition unless the stage already holds a state at least as new. */
  transition(input: TransitionInput): Promise<{ applied: boolean }>;
  /**
   * Applies many transitions, each exactly as `transition` would, reading the runs' current state in
   * batches (for the hundreds of runs one refine may cover). Results are in input order; a missing run
   * rejects the call after the others are written.
   */
  transitionMany(inputs: readonly TransitionInput[]): Promise<{ applied: boolean }[]>;
  /**
   * Records that a stage started on many runs, as a `running` entry in each run's timeline, without
   * changing the runs' state: batched writes instead of one conditional update per run, for a stage
   * that starts on hundreds of runs at once (refine). Its outcome is then a transition with
   * `startedAt`. Idempotent; a missing run rejects the call after the others are written.
   */
  recordStarts(starts: readonly StageStart[]): Promise<void>;
  /** Links a refined partition to the forecast outputs made from it (adds; never removes). */
  recordForecastLineage(input: { dataset: string; partition: string; outputs: readonly string[] }): Promise<void>;
  getRun(runId: string): Promise<RunDetail | undefined>;
  /** The summaries of many runs in one batch read, in the order asked; unknown ids are left out. */
  getRunSummaries(runIds: readonly string[]): Promise<RunSummary[]>;
  listRuns(options?: { limit?: number; cursor?: string }): Promise<RunPage>;
  /**
   * Every run of the dataset whose last transition is `state` (one of `IndexedRunStates`; another
   * state is refused), ordered by run id, read as consistently as `getRunSummaries`. Its cost
   * follows the number of runs found, not the number of runs kept.
   */
  listRunsIn(dataset: string, state: RunState): Promise<RunSummary[]>;
  /** Every object of the dataset still in raw whose event-time range overlaps `[from, to]`, one per key. */
  findObjectsOverlapping(dataset: string, window: { from: string; to: string }): Promise<IndexedObject[]>;
  /** Sets the flag if absent (`created: true`), else counts the request; returns the flag. */
  markCrawlPending(dataset: string, zone: string, at?: string): Promise<{ created: boolean; pending: PendingCrawl }>;
  getPendingCrawl(dataset: string, zone: string): Promise<PendingCrawl | undefined>;
  /** Clears the flag only if it still has `version`; false when it was cleared or set again. */
  clearPendingCrawl(dataset: string, zone: string, version: string): Promise<boolean>;
  /** Opens (or refreshes) the run-less failure of a stage for a dataset and zone. */
  recordStageFailure(failure: StageFailureRecord): Promise<void>;
  /** Closes the run-less failure of a stage for a dataset and zone, if one is open (the stage succeeded since). */
  clearStageFailure(stage: string, dataset?: string, zone?: string): Promise<void>;
  /** Every open run-less failure. */
  listStageFailures(): Promise<StageFailureRecord[]>;
}
