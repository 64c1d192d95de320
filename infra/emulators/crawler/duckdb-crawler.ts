import { csvClassifierNamed, JSON_ARRAY_CLASSIFIER } from '../../../handlers/stage-kit/crawler-configuration';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { openBoundedDuckDb, type DuckDbResources } from '../duckdb/bounded-duckdb';
import type { Crawler, CrawlerInput, CrawlerPort } from '../../../handlers/ports/crawler';
import { CrawlerAlreadyExistsError, CrawlerNotFoundError, CrawlerRunningError, CrawlerState, InvalidCrawlerInputError, LastCrawlStatus } from '../../../handlers/ports/crawler';
import type { EventBusTransport, PutEventsEntry } from '../../../events/put-events';
import { KeyLock } from '../catalog/key-lock';
import { localPathOfUri } from '../../local/lake-paths';
import type { CrawlerCatalog } from './apply-plans';
import { crawlerStateChangeEntry, finishedDetail, startedDetail, type EventOrigin } from './crawl-events';
import { failedCrawlReport, type CrawlReport } from './crawl-report';
import { parseCrawlerConfiguration } from './crawler-configuration';
import type { CrawlManifest } from './crawl-manifest';
import { CrawlerEventQueue, type ObjectEvent, type ReceivedEvents } from './crawler-event-queue';
import { CrawlerStore } from './crawler-store';
import { runCrawl, type InferenceCache } from './run-crawl';

/** A crawler's DuckDB, its verdict cache and (event mode) the listing of its last successful run. */
interface CrawlEngine {
  readonly conn: DuckDBConnection;
  readonly cache: InferenceCache;
  manifest?: CrawlManifest;
}

/** What the local crawler is built from. */
export interface DuckDbCrawlerOptions {
  /** The Tributary home: the lake is `<home>/lake`, crawler state `<home>/crawlers`. */
  readonly home: string;
  readonly catalog: CrawlerCatalog;
  /** Where `Glue Crawler State Change` events go (the local bus, bus `default`). */
  readonly bus: EventBusTransport;
  readonly origin?: EventOrigin;
  /**
   * The DuckDB every crawler of this service infers schemas with (one instance, a connection per
   * crawler). Default: {@link DEFAULT_CRAWLER_RESOURCES}, spilling to `<home>/crawler-tmp`.
   */
  readonly resources?: Partial<DuckDbResources>;
}

/** The crawlers' DuckDB unless configured: 256MB, one thread, rows in any order (inference reads no order). */
export const DEFAULT_CRAWLER_RESOURCES = { memoryLimit: '256MB', threads: 1, preserveInsertionOrder: false } as const;

/**
 * The Glue crawler stand-in: crawlers persist under `<home>/crawlers`, `startCrawler` returns at once
 * and the run proceeds in the background (READY → RUNNING → READY) with its own in-memory DuckDB for
 * inference, emitting Started then Succeeded or Failed. A crawler left RUNNING on disk by a process
 * that died is rerun by `resumeInterrupted`, which the process owning the home calls at start (until
 * then it reads RUNNING, as it does to any other process while the owner runs it).
 *
 * Choices where the research note leaves room (each is tested):
 * - JSON integers are `bigint` (the note's VERIFY on int vs bigint): never overflows, same as CSV.
 * - CSV needs ≥ 2 columns and ≥ 2 rows counting a header row; no header when Glue's 4 rules fail.
 * - An unclassifiable object (Glue's UNKNOWN) is skipped, named in `warningMessage` and listed in
 *   the run report (`awaitCrawl`, `getLastCrawlReport`); the crawl still succeeds for the rest.
 * - A table is rewritten (new version, `tablesUpdated`) only when columns, keys, format or location
 *   change; statistics alone do not. Vanished partitions are deleted unless DeleteBehavior is LOG;
 *   DEPRECATE_IN_DATABASE marks a vanished table with `DEPRECATED_BY_CRAWLER=<time>`.
 * - `Grouping.TableLevelConfiguration` fixes each table root; its partition keys are the folder levels
 *   every file below it has (none for mixed depths: an unpartitioned table is read recursively). A
 *   table that may not change its keys (LOG) keeps them, and a file no partition holds
 *   is named in the run's warnings.
 * - `CRAWL_EVENT_MODE` (one S3 target with an `EventQueueArn`; see `CrawlerEventQueue`, fed by
 *   `queueObjectEvents`): the first run, a run after the crawler's definition changed, and the first
 *   run of a process (the listing of the last run is kept in memory) list the target whole; later
 *   runs list only the folders named by the events queued when they start, and plan the tables from
 *   the last run's listing with those folders replaced, so the catalog ends as a full crawl leaves it.
 *   The events are deleted only once the catalog is written: a crash in between re-reads them.
 */
export class DuckDbCrawler implements CrawlerPort {
  private readonly store: CrawlerStore;
  private readonly origin: EventOrigin;
  private readonly lock = new KeyLock();
  private readonly runs = new Map<string, Promise<CrawlReport>>();
  private readonly engines = new Map<string, CrawlEngine>();
  /** The one DuckDB instance of every crawler of this service, opened on first use. */
  private instance: Promise<DuckDBInstance> | undefined;
  private readonly recovered = new Set<string>();
  /** Start times of runs in progress (Glue shows the previous LastCrawl until a run ends). */
  private readonly started = new Map<string, string>();

  /** A crawler service over `options.home`. */
  constructor(private readonly options: DuckDbCrawlerOptions) {
    this.store = new CrawlerStore(options.home);
    this.origin = options.origin ?? { account: '000000000000', region: 'us-east-1' };
  }

  async createCrawler(input: CrawlerInput): Promise<void> {
    CrawlerStore.validateName(input.Name);
    parseCrawlerConfiguration(input.Configuration);
    const unknown = (input.Classifiers ?? []).filter((c) => c !== JSON_ARRAY_CLASSIFIER.Name && csvClassifierNamed(c) === undefined);
    if (unknown.length > 0) throw new InvalidCrawlerInputError(`Crawler ${input.Name} names unknown classifiers ${unknown.join(', ')} (the local crawler knows ${JSON_ARRAY_CLASSIFIER.Name} and tributary-csv-<present|absent>-<delimiter hex>-<quote hex>)`);
    if (input.Targets.S3Targets.length === 0) throw new InvalidCrawlerInputError(`Crawler ${input.Name} has no S3 target`);
    if (input.RecrawlPolicy?.RecrawlBehavior === 'CRAWL_EVENT_MODE') {
      const [only, ...others] = input.Targets.S3Targets;
      if (only?.EventQueueArn === undefined || others.length > 0) throw new InvalidCrawlerInputError(`Crawler ${input.Name}: CRAWL_EVENT_MODE needs exactly one S3 target, with an EventQueueArn`);
      CrawlerEventQueue.of(this.options.home, only.EventQueueArn);
    }
    for (const t of input.Targets.S3Targets) {
      try {
        localPathOfUri(this.options.home, t.Path);
      } catch (err) {
        throw new InvalidCrawlerInputError(`S3 target ${t.Path} of crawler ${input.Name} is not in the local lake`, { cause: err });
      }
    }
    await this.lock.run(input.Name, async () => {
      if (await this.store.get(input.Name)) throw new CrawlerAlreadyExistsError(input.Name);
      const now = new Date().toISOString();
      await this.store.put({ ...input, State: CrawlerState.Ready, CreationTime: now, LastUpdated: now, CrawlElapsedTime: 0, Version: 1 });
    });
  }

  async getCrawler(name: string): Promise<Crawler | undefined> {
    const crawler = await this.store.get(name);
    const startTime = this.started.get(name);
    if (!crawler || crawler.State !== CrawlerState.Running || startTime === undefined) return crawler;
    return { ...crawler, CrawlElapsedTime: Date.now() - Date.parse(startTime) };
  }

  async startCrawler(name: string): Promise<void> {
    await this.lock.run(name, async () => {
      const crawler = await this.store.get(name);
      if (!crawler) throw new CrawlerNotFoundError(name);
      if (crawler.State !== CrawlerState.Ready || this.runs.has(name)) throw new CrawlerRunningError(name);
      const startTime = new Date().toISOString();
      const runId = randomUUID();
      await this.store.put({ ...crawler, State: CrawlerState.Running });
      this.started.set(name, startTime);
      this.runs.set(name, this.run(crawler, runId, startTime));
    });
  }

  /**
   * Resolves with the report of the run in progress once it has finished and its final event was
   * handed to the bus, or with the last finished run's report (undefined if it never ran).
   */
  async awaitCrawl(name: string): Promise<CrawlReport | undefined> {
    return this.runs.get(name) ?? this.store.getReport(name);
  }

  /** The report of the last finished run (which objects were unreadable, what schema changed). */
  async getLastCrawlReport(name: string): Promise<CrawlReport | undefined> {
    return this.store.getReport(name);
  }

  /**
   * The local S3 → SQS notification: queues each object event on the event queue of every crawler in
   * `CRAWL_EVENT_MODE` whose target holds the object (as a bucket notification filtered by prefix).
   * Durable when it resolves. The raw-zone watcher calls it before it publishes `Object Created`.
   */
  async queueObjectEvents(events: readonly ObjectEvent[]): Promise<void> {
    for (const name of await this.store.names()) {
      // A crawler whose record cannot be read cannot crawl either: it must not hold up every landing.
      const crawler = await this.store.get(name).catch((err: unknown) => void process.emitWarning(`Crawler ${name}: no object events queued: ${err instanceof Error ? err.message : String(err)}`));
      const queue = crawler && this.eventQueueOf(crawler);
      const target = crawler?.Targets.S3Targets[0]?.Path;
      if (!queue || target === undefined) continue;
      const prefix = target.endsWith('/') ? target : `${target}/`;
      await queue.send(events.filter((e) => `s3://${e.bucket}/${e.key}`.startsWith(prefix)));
    }
  }

  private eventQueueOf(crawler: CrawlerInput): CrawlerEventQueue | undefined {
    const arn = crawler.Targets.S3Targets[0]?.EventQueueArn;
    return crawler.RecrawlPolicy?.RecrawlBehavior === 'CRAWL_EVENT_MODE' && arn !== undefined ? CrawlerEventQueue.of(this.options.home, arn) : undefined;
  }

  /** Waits for runs in progress, then closes the DuckDB instances. */
  async close(): Promise<void> {
    await Promise.all([...this.runs.values()]);
    for (const { conn } of this.engines.values()) conn.closeSync();
    this.engines.clear();
    const instance = this.instance;
    this.instance = undefined;
    if (instance) (await instance.catch(() => undefined))?.closeSync();
  }

  private async run(crawler: Crawler, runId: string, startTime: string): Promise<CrawlReport> {
    const name = crawler.Name;
    await this.emit(crawlerStateChangeEntry(startedDetail(name, startTime, this.origin), new Date(startTime)));
    let report: CrawlReport;
    try {
      const engine = await this.engine(name);
      const queue = this.eventQueueOf(crawler);
      const received: ReceivedEvents = queue ? await queue.receive() : { events: [], receipts: [] };
      const last = engine.manifest && (await this.store.getReport(name));
      // The kept listing is this crawler's state only while its run is the last one finished.
      const previous = last?.status === LastCrawlStatus.Succeeded && last.runId === engine.manifest?.runId ? engine.manifest : undefined;
      engine.manifest = undefined;
      let kept: CrawlManifest | undefined;
      const scope = { events: received.events, ...(previous ? { previous } : {}), keep: (m: CrawlManifest) => (kept = m) };
      report = await runCrawl({ conn: engine.conn, cache: engine.cache, catalog: this.options.catalog, home: this.options.home }, crawler, runId, startTime, scope);
      if (report.errorMessage === undefined && queue) {
        engine.manifest = kept;
        await queue.delete(received.receipts);
      }
    } catch (err) {
      report = failedCrawlReport(name, runId, startTime, `DuckDB could not be started: ${err instanceof Error ? err.message : String(err)}`);
    }
    await this.finish(name, report);
    return report;
  }

  /** Records the outcome (READY before the event, so a consumer of the event may start again), then emits it. */
  private async finish(name: string, report: CrawlReport): Promise<void> {
    await this.lock.run(name, async () => {
      try {
        const current = await this.store.get(name);
        await this.store.putReport(report);
        if (current) {
          const LastCrawl = { Status: report.status, StartTime: report.startTime, LogGroup: '/aws-glue/crawlers', LogStream: name, MessagePrefix: report.runId, ...(report.errorMessage === undefined ? {} : { ErrorMessage: report.errorMessage }) };
          await this.store.put({ ...current, State: CrawlerState.Ready, LastCrawl, CrawlElapsedTime: 0 });
        }
      } catch (err) {
        process.emitWarning(`Crawler ${name}: the outcome could not be saved: ${err instanceof Error ? err.message : String(err)}`);
      } finally {
        this.runs.delete(name);
        this.started.delete(name);
      }
    });
    await this.emit(crawlerStateChangeEntry(finishedDetail(report, this.origin), new Date(report.completionDate)));
  }

  private async emit(entry: PutEventsEntry): Promise<void> {
    try {
      const result = await this.options.bus.putEvents([entry]);
      const failed = result.Entries[0];
      if (result.FailedEntryCount > 0) process.emitWarning(`Glue Crawler State Change not accepted by the bus: ${failed?.ErrorCode ?? ''} ${failed?.ErrorMessage ?? ''}`);
    } catch (err) {
      process.emitWarning(`Glue Crawler State Change could not be published: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private async engine(name: string): Promise<CrawlEngine> {
    const existing = this.engines.get(name);
    if (existing) return existing;
    this.instance ??= openBoundedDuckDb({ tempDirectory: path.join(this.options.home, 'crawler-tmp'), ...DEFAULT_CRAWLER_RESOURCES, ...this.options.resources }).catch((err: unknown) => {
      this.instance = undefined;
      throw err;
    });
    const engine: CrawlEngine = { conn: await (await this.instance).connect(), cache: new Map() };
    this.engines.set(name, engine);
    return engine;
  }

  /**
   * Reruns every crawl a previous process left RUNNING (see `recover`); returns the crawlers' names.
   * Call it at start, only from the process that owns the home: then a RUNNING crawler is no other
   * live process's crawl but one a crash cut off.
   */
  async resumeInterrupted(): Promise<string[]> {
    const resumed: string[] = [];
    for (const name of await this.store.names()) {
      await this.lock.run(name, () => this.recover(name));
      if (this.runs.has(name)) resumed.push(name);
    }
    return resumed;
  }

  /**
   * Loads a crawler; one left RUNNING by a previous process (checked once per process) has its crawl
   * run again from the start, under a new run id and start time, as Glue would have carried on with
   * it: the crawl lists its targets afresh, so it covers everything the cut-off one would have (the
   * requests it was honouring are honoured), what that one wrote is rewritten, and its consumers
   * hear Started, then Succeeded or Failed.
   */
  private async recover(name: string): Promise<Crawler | undefined> {
    const crawler = await this.store.get(name);
    if (!crawler || this.recovered.has(name)) return crawler;
    this.recovered.add(name);
    if (crawler.State === CrawlerState.Ready || this.runs.has(name)) return crawler;
    const startTime = new Date().toISOString();
    this.started.set(name, startTime);
    // Not awaited here: recover runs under the crawler's lock, which the run's end takes.
    this.runs.set(name, this.run(crawler, randomUUID(), startTime));
    return crawler;
  }
}
