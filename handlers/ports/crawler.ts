import { PipelineError } from '../../contracts/pipeline-error';

/**
 * The crawler port, shaped after the Glue crawler API (CreateCrawler, GetCrawler, StartCrawler).
 *
 * A crawl is asynchronous on both realisations: `startCrawler` returns once the run is accepted and
 * the outcome arrives as a `Glue Crawler State Change` event on the default bus. Field names are
 * Glue's so the Glue adapter passes them straight through.
 */

/** Crawler lifecycle states (Glue `Crawler.State`). */
export const CrawlerState = { Ready: 'READY', Running: 'RUNNING', Stopping: 'STOPPING' } as const;
/** One crawler state. */
export type CrawlerState = (typeof CrawlerState)[keyof typeof CrawlerState];

/** Outcome of the last run (Glue `LastCrawlInfo.Status`). */
export const LastCrawlStatus = { Succeeded: 'SUCCEEDED', Failed: 'FAILED', Cancelled: 'CANCELLED' } as const;
/** One last-crawl status. */
export type LastCrawlStatus = (typeof LastCrawlStatus)[keyof typeof LastCrawlStatus];

/** What the crawler does to existing tables when schemas change (Glue `SchemaChangePolicy.UpdateBehavior`). */
export const UpdateBehavior = { Log: 'LOG', UpdateInDatabase: 'UPDATE_IN_DATABASE' } as const;
/** One update behaviour. */
export type UpdateBehavior = (typeof UpdateBehavior)[keyof typeof UpdateBehavior];

/** What the crawler does with tables and partitions whose data vanished (Glue `DeleteBehavior`). */
export const DeleteBehavior = { Log: 'LOG', DeleteFromDatabase: 'DELETE_FROM_DATABASE', DeprecateInDatabase: 'DEPRECATE_IN_DATABASE' } as const;
/** One delete behaviour. */
export type DeleteBehavior = (typeof DeleteBehavior)[keyof typeof DeleteBehavior];

/** An S3 include path (`s3://bucket/prefix/`), optionally with glob exclusions. */
export interface S3Target {
  readonly Path: string;
  readonly Exclusions?: readonly string[];
  /** The SQS queue of the bucket's object events a crawler in `CRAWL_EVENT_MODE` consumes. */
  readonly EventQueueArn?: string;
}

/**
 * Glue `RecrawlPolicy.RecrawlBehavior`: re-list every target on each run, or (`CRAWL_EVENT_MODE`,
 * one target with an `EventQueueArn`) list everything on the first run and afterwards only the
 * folders named by the object events queued since.
 */
export type RecrawlBehavior = 'CRAWL_EVERYTHING' | 'CRAWL_EVENT_MODE';

/** What a caller supplies to create a crawler (Glue `CreateCrawlerRequest`, S3 targets only). */
export interface CrawlerInput {
  readonly Name: string;
  readonly DatabaseName: string;
  readonly Targets: { readonly S3Targets: readonly S3Target[] };
  readonly TablePrefix?: string;
  readonly SchemaChangePolicy?: { readonly UpdateBehavior?: UpdateBehavior; readonly DeleteBehavior?: DeleteBehavior };
  readonly RecrawlPolicy?: { readonly RecrawlBehavior?: RecrawlBehavior };
  /** Glue's versioned JSON configuration text (`{"Version":1.0,"Grouping":{…},"CrawlerOutput":{…}}`). */
  readonly Configuration?: string;
  /** Names of custom classifiers tried before the built-in ones (Glue `Classifiers`), e.g. `JSON_ARRAY_CLASSIFIER`. */
  readonly Classifiers?: readonly string[];
}

/** Glue `LastCrawlInfo`: how the last run ended and where its log is. */
export interface LastCrawlInfo {
  readonly Status: LastCrawlStatus;
  readonly ErrorMessage?: string;
  readonly StartTime: string;
  readonly LogGroup?: string;
  readonly LogStream?: string;
  readonly MessagePrefix?: string;
}

/** A crawler as GetCrawler returns it. */
export interface Crawler extends CrawlerInput {
  readonly State: CrawlerState;
  readonly LastCrawl?: LastCrawlInfo;
  readonly CreationTime: string;
  readonly LastUpdated: string;
  /** Milliseconds the current run has been going (0 when READY). */
  readonly CrawlElapsedTime: number;
  readonly Version: number;
}

/** Base of crawler-port errors; `retryable` tells the bus whether a retry can succeed. */
export class CrawlerError extends PipelineError {
  constructor(message: string, retryable: boolean, options?: { cause?: unknown }) {
    super(message, { retryable, cause: options?.cause });
  }
}

/**
 * StartCrawler on a crawler that is not READY (Glue `CrawlerRunningException`). Retryable: the run
 * in progress will finish; callers that coalesce crawls remember the request and start again then.
 */
export class CrawlerRunningError extends CrawlerError {
  override readonly name = 'CrawlerRunningException';
  constructor(crawlerName: string, options?: { cause?: unknown }) {
    super(`Crawler with name ${crawlerName} has already started`, true, options);
  }
}

/** The named crawler does not exist (Glue `EntityNotFoundException`). Poison: retrying cannot help. */
export class CrawlerNotFoundError extends CrawlerError {
  override readonly name = 'EntityNotFoundException';
  constructor(crawlerName: string, options?: { cause?: unknown }) {
    super(`Crawler entry with name ${crawlerName} does not exist`, false, options);
  }
}

/** CreateCrawler with a taken name (Glue `AlreadyExistsException`). Poison. */
export class CrawlerAlreadyExistsError extends CrawlerError {
  override readonly name = 'AlreadyExistsException';
  constructor(crawlerName: string, options?: { cause?: unknown }) {
    super(`Crawler with name ${crawlerName} already exists`, false, options);
  }
}

/** Invalid crawler definition (Glue `InvalidInputException`), e.g. a target outside the lake. Poison. */
export class InvalidCrawlerInputError extends CrawlerError {
  override readonly name = 'InvalidInputException';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, false, options);
  }
}

/** Create, inspect and start crawlers. Outcomes are reported as `Glue Crawler State Change` events. */
export interface CrawlerPort {
  /** Creates a crawler; throws CrawlerAlreadyExistsError when the name is taken. */
  createCrawler(input: CrawlerInput): Promise<void>;
  /** The crawler, or undefined when it does not exist. */
  getCrawler(name: string): Promise<Crawler | undefined>;
  /** Starts a run and returns at once; throws CrawlerRunningError unless READY, CrawlerNotFoundError if absent. */
  startCrawler(name: string): Promise<void>;
}
