import type { TopologyNames } from '../events/topology-names';
import type { AlertSink } from './ports/alert-sink';
import type { BatchTransformPort } from './ports/batch-transform';
import type { CatalogPort } from './ports/catalog';
import type { CrawlerPort } from './ports/crawler';
import type { DatasetStore } from './ports/dataset-store';
import type { DomainEventPublisher } from './ports/domain-event-publisher';
import type { Idempotency } from './ports/idempotency';
import type { JobStore } from './ports/job-store';
import type { ObjectStorePort } from './ports/object-store';
import type { QueryEnginePort } from './ports/query-engine';
import type { RawFileInspector } from './ports/raw-file-inspector';
import type { RunStore } from './ports/run-store';

/** Where the lake lives: a bucket per zone, the Glue database, and the names rules are built for. */
export interface LakeTopology {
  readonly names: TopologyNames;
  readonly buckets: { readonly raw: string; readonly refined: string; readonly forecast: string; readonly quarantine: string };
  /** The Athena workgroup of ad-hoc reads (views, forecast inputs); refine queries run in `names.athenaWorkgroup`. */
  readonly readWorkgroup: string;
  /**
   * The SQS queue of raw-object events a dataset's raw crawler consumes in S3 event mode
   * (`CRAWL_EVENT_MODE`), by crawler name; absent, crawlers a stage creates re-list their target on
   * every run. Used only where stages create crawlers (locally; on AWS the stack configures them).
   */
  readonly rawCrawlEventQueueArn?: (crawlerName: string) => string;
}

/**
 * Every port there is. The two composition roots build them — AWS adapters for the Lambda entry
 * points (only the services a stage's needs use), local adapters for the embedded runtime — and no
 * stage knows which it got. A stage never receives all of them: it declares its needs
 * (stage-needs.ts) and receives `DepsOf` that declaration.
 */
export interface StageDeps {
  readonly objects: ObjectStorePort;
  readonly catalog: CatalogPort;
  readonly crawler: CrawlerPort;
  readonly query: QueryEnginePort;
  readonly transform: BatchTransformPort;
  readonly runs: RunStore;
  readonly jobs: JobStore;
  readonly idempotency: Idempotency;
  readonly publisher: DomainEventPublisher;
  readonly alerts: AlertSink;
  readonly datasets: DatasetStore;
  readonly topology: LakeTopology;
  readonly clock: () => Date;
  /** Reads landed raw files as their format (the embedded realisation: DuckDB); absent, register-landing reads JSON lines only. */
  readonly inspector?: RawFileInspector;
}

/** A stage as a function of a full set of ports (it still receives only those it declared); throws to ask for a retry. */
export type StageHandler = (event: unknown, deps: StageDeps) => Promise<void>;
