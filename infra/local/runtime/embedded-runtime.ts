import { mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import { batchTriggerRules, serviceForwardingPattern, ruleTable } from '../../../events/rules';
import { EventPublisher } from '../../../events/publisher';
import { StageId } from '../../../events/stage-ids';
import { localTopologyNames } from '../../../events/topology-names';
import type { AlertSink } from '../../../handlers/ports/alert-sink';
import type { LakeTopology, StageDeps } from '../../../handlers/stage-deps';
import { stages } from '../../../handlers/stages';
import { datasetRoots } from '../../datasets/dataset-roots';
import { FolderDatasetStore } from '../../datasets/folder-dataset-store';
import { DuckDbRawFileInspector } from '../inspect/duckdb-raw-file-inspector';
import { DynamoDbJobStore } from '../../dynamodb/dynamodb-job-store';
import { DynamoDbRunStore } from '../../dynamodb/dynamodb-run-store';
import { PowertoolsIdempotency } from '../../dynamodb/idempotency';
import { ConsoleAlertSink } from '../alerts/console-alert-sink';
import { FanOutAlertSink } from '../alerts/fan-out-alert-sink';
import { JsonLinesAlertSink } from '../alerts/json-lines-alert-sink';
import { WebhookAlertSink } from '../alerts/webhook-alert-sink';
import { LocalBatchTransform } from '../../emulators/batch-transform/local-batch-transform';
import { installTopology } from '../../emulators/bus/install-topology';
import { installBatchTriggers } from '../../emulators/bus/install-batch-triggers';
import { LocalEventBus } from '../../emulators/bus/local-event-bus';
import { EventBridgeEndpoint } from '../../emulators/bus/eventbridge-endpoint';
import { JsonFileCatalog } from '../../emulators/catalog/json-file-catalog';
import { DuckDbCrawler } from '../../emulators/crawler/duckdb-crawler';
import { openLocalDynamoDb, type LocalDynamoDb } from '../../emulators/dynamodb/open-local-dynamodb';
import { bucketOf, resolveHome } from '../lake-paths';
import { FolderObjectStore } from '../../emulators/object-store/folder-object-store';
import { RawZoneWatcher } from '../../emulators/object-store/raw-zone-watcher';
import { queryEngineSettings } from './query-engine-settings';
import { duckDbMemorySettings } from './duckdb-memory-settings';
import { DuckDbQueryEngine } from '../../emulators/query/duckdb-query-engine';
import { AthenaJsonService } from '../../emulators/query/athena-json-service';
import { DlqAlarm } from './dlq-alarm';
import { loadForecastModels } from './model-registry';
import { Quiescence } from './quiescence';
import { localStageDeadlines } from './stage-deadlines';
import { Watchdog } from './watchdog';
import { MemoryWatch } from './memory-watch';
import { releaseCrashedExecutions } from './release-crashed-executions';
import { crawlerNameOf } from '../../../handlers/stage-kit/naming';
import { requestOwedCrawls } from '../../../handlers/stage-kit/request-owed-crawls';

const CRAWLED_ZONES = ['raw', 'refined', 'forecast'] as const;

/** How to open the embedded pipeline. */
export interface EmbeddedRuntimeOptions {
  readonly home?: string;
  /** Serve the EventBridge- and Athena-compatible endpoint on this port (0 = any free port); omit for none. */
  readonly endpointPort?: number;
  /** Watch the raw zone for new files (default true). */
  readonly watch?: boolean;
  /** Where alerts go besides `<home>/alerts.jsonl`: the console (default true) and a webhook URL. */
  readonly consoleAlerts?: boolean;
  readonly alertWebhook?: string;
  /** Bus retry backoff (defaults suit a laptop: 200 ms doubling, capped at 10 s). */
  readonly backoffBaseMs?: number;
  readonly backoffMaxMs?: number;
  /** How often new dead letters are turned into alerts while the pipeline runs (default 5 s; 0 = only when quiescence is checked). */
  readonly dlqAlarmIntervalMs?: number;
  /** How often the watchdog looks for runs past their stage's deadline (default 30 s; 0 = never). */
  readonly watchdogIntervalMs?: number;
  /** The bus's clock (schedule rules fire by it); tests inject one so a batch tick needs no real hour. */
  readonly busClock?: () => number;
  /** How often the process's resident memory is checked against `TRIBUTARY_MEMORY` (default 5 s; 0 = never). */
  readonly memoryWatchIntervalMs?: number;
}

/** The local topology: `tributary-<zone>` buckets, the refine workgroup and a read workgroup. */
export const localTopology: LakeTopology = {
  names: localTopologyNames,
  buckets: { raw: bucketOf('raw'), refined: bucketOf('refined'), forecast: bucketOf('forecast'), quarantine: bucketOf('quarantine') },
  readWorkgroup: 'primary',
  rawCrawlEventQueueArn: (crawlerName) => `arn:aws:sqs:us-east-1:000000000000:${crawlerName}`,
};

/** The one workgroup the endpoint's Athena serves the user's own queries in (Athena's default workgroup). */
export const USER_WORKGROUP = 'primary';

/** The archive every event of our bus goes to, so history can be replayed. */
export const LOCAL_ARCHIVE = 'tributary-archive';

/**
 * The composition root of the embedded default: wires every local adapter behind the ports, installs
 * the rule table on the local bus with each stage as an in-process target, and starts delivery.
 * The same stage code runs on AWS, wired to the AWS adapters by the Lambda composition root.
 */
export class EmbeddedRuntime {
  private constructor(
    readonly home: string,
    readonly bus: LocalEventBus,
    readonly deps: StageDeps,
    readonly crawler: DuckDbCrawler,
    readonly query: DuckDbQueryEngine,
    readonly transform: LocalBatchTransform,
    readonly watcher: RawZoneWatcher | undefined,
    readonly endpoint: EventBridgeEndpoint | undefined,
    private readonly dynamo: LocalDynamoDb,
    private readonly quiescence: Quiescence,
    private readonly watchdog: Watchdog,
    private readonly alarm: DlqAlarm,
    private readonly userQueries: DuckDbQueryEngine | undefined,
    private readonly memoryWatch: MemoryWatch,
  ) {}

  static async open(options: EmbeddedRuntimeOptions = {}): Promise<EmbeddedRuntime> {
    const home = resolveHome(options.home);
    // Settings first: a bad value stops here, before anything is open that would keep the process alive.
    const memory = duckDbMemorySettings();
    const engineSettings = queryEngineSettings();
    await mkdir(home, { recursive: true });
    const dynamo = await openLocalDynamoDb({ home });
    const bus = await LocalEventBus.open({ home, backoffBaseMs: options.backoffBaseMs ?? 200, backoffMaxMs: options.backoffMaxMs ?? 10_000, ...(options.busClock ? { now: options.busClock } : {}) });
    const catalog = new JsonFileCatalog(home);
    const crawler = new DuckDbCrawler({ home, catalog, bus, resources: { memoryLimit: memory.crawler } });
    // Owning the store means no other process runs this home: the query journal and crawls left running are ours.
    const query = await DuckDbQueryEngine.create({ home, catalog, bus, journal: !dynamo.shared, memoryLimit: memory.pipeline, ...engineSettings });
    const datasets = new FolderDatasetStore(datasetRoots(home));
    const transform = await LocalBatchTransform.open({ home, bus, models: await loadForecastModels(home, datasets), resume: false });
    const sinks: AlertSink[] = [new JsonLinesAlertSink({ home })];
    if (options.consoleAlerts ?? true) sinks.push(new ConsoleAlertSink());
    const webhook = options.alertWebhook ?? process.env.TRIBUTARY_ALERT_WEBHOOK;
    if (webhook) sinks.push(new WebhookAlertSink({ url: webhook }));
    const publisher = new EventPublisher({ transport: bus, eventBusName: localTopologyNames.busName });
    const rows = ruleTable(localTopologyNames);
    const alertQueue = rows.find((r) => r.target === StageId.Alert)?.deadLetterQueue ?? '';
    const alerts = new FanOutAlertSink(sinks);
    const alarm = await DlqAlarm.open(home, bus, publisher, alerts, alertQueue);
    const watcher = options.watch === false ? undefined : new RawZoneWatcher({ home, transport: bus, notify: (objects) => crawler.queueObjectEvents(objects), runs: new DynamoDbRunStore({ client: dynamo.client, tableName: dynamo.tables.runs }), onError: (e) => process.stderr.write(`tributary: watcher: ${e.message}\n`) });
    const crawlerNames = async () => (await datasets.listDatasets()).flatMap((d) => CRAWLED_ZONES.map((z) => crawlerNameOf(localTopology, d, z)));
    const quiescence = new Quiescence({ bus, crawler, alarm, watcher, crawlerNames });
    const deps: StageDeps = {
      objects: new FolderObjectStore({ home }),
      catalog,
      crawler,
      query: quiescence.trackQueries(query),
      transform: quiescence.trackTransforms(transform),
      runs: new DynamoDbRunStore({ client: dynamo.client, tableName: dynamo.tables.runs }),
      jobs: new DynamoDbJobStore({ client: dynamo.client, tableName: dynamo.tables.runs }),
      idempotency: new PowertoolsIdempotency({ client: dynamo.client, tableName: dynamo.tables.idempotency }),
      publisher,
      alerts,
      datasets,
      topology: localTopology,
      clock: () => new Date(),
      inspector: new DuckDbRawFileInspector({ memoryLimit: memory.inspector, tempDirectory: path.join(home, 'inspect-tmp') }),
    };
    await installTopology(bus, rows, { name: 'tributary-service-events', pattern: serviceForwardingPattern(localTopologyNames), toBus: localTopologyNames.busName });
    const manifests = await Promise.all((await datasets.listDatasets()).map(async (name) => (await datasets.getDataset(name).catch(() => undefined))?.manifest));
    await installBatchTriggers(bus, batchTriggerRules(localTopologyNames, manifests.filter((m) => m !== undefined)), `${localTopologyNames.resourcePrefix}-batch-`);
    if (!(await bus.listArchives({})).Archives.some((a) => a.ArchiveName === LOCAL_ARCHIVE)) {
      await bus.createArchive({ ArchiveName: LOCAL_ARCHIVE, EventSourceArn: `arn:aws:events:us-east-1:000000000000:event-bus/${localTopologyNames.busName}`, RetentionDays: 0 });
    }
    // Owning the store means no other process runs this home's stages: keys still held are a crash's orphans.
    if (!dynamo.shared) await releaseCrashedExecutions(dynamo.client, dynamo.tables.idempotency);
    for (const [id, stage] of Object.entries(stages)) bus.registerStageHandler(id, (event) => stage(event, deps));
    bus.start();
    // Jobs a crash cut off run again once the bus delivers (each end is then delivered as it happens,
    // not all at once), and quiescence waits for them too.
    if (!dynamo.shared) {
      await crawler.resumeInterrupted();
      quiescence.trackQueryIds(await query.resumeInterrupted());
      quiescence.trackTransformNames(transform.resumeInterrupted());
      await requestOwedCrawls(deps);
    }
    await watcher?.start();
    // The endpoint also serves Athena for the user's own SDK code: read-only, in workgroup `primary`, on an
    // engine of its own (so a user's query never queues behind the pipeline's); its state changes go to the bus as Athena's do.
    const userQueries = options.endpointPort === undefined ? undefined : await DuckDbQueryEngine.create({ home, catalog, bus, readOnly: true, connections: 1, memoryLimit: memory.userQueries });
    const endpoint = options.endpointPort === undefined || userQueries === undefined ? undefined : await EventBridgeEndpoint.start(bus, options.endpointPort, { athena: new AthenaJsonService(userQueries, { workGroups: [USER_WORKGROUP] }) }).catch(async (error: unknown) => {
      await userQueries.close();
      throw error;
    });
    const watchdog = new Watchdog(deps, localStageDeadlines(), options.watchdogIntervalMs ?? 30_000);
    alarm.poll(options.dlqAlarmIntervalMs ?? 5_000);
    const memoryWatch = new MemoryWatch(memory.bound, options.memoryWatchIntervalMs ?? 5_000);
    return new EmbeddedRuntime(home, bus, deps, crawler, query, transform, watcher, endpoint, dynamo, quiescence, watchdog, alarm, userQueries, memoryWatch);
  }

  /**
   * Resolves when nothing is left to do: no delivery, crawl, query or transform pending (see
   * Quiescence). Then every run not at the end of its chain is stalled — nothing left could move it —
   * and the watchdog fails it loudly; the wait goes on until those failures are delivered too.
   * `failStalled: false` skips that, for a caller that holds deliveries back itself (tests).
   */
  async waitUntilQuiescent(options: { timeoutMs?: number; failStalled?: boolean } = {}): Promise<boolean> {
    const deadline = Date.now() + (options.timeoutMs ?? 10 * 60_000);
    const failed = new Set<string>();
    for (;;) {
      if (!(await this.quiescence.wait(this.query, this.transform, Math.max(0, deadline - Date.now())))) return false;
      if (options.failStalled === false) return true;
      // Each round fails runs not yet failed; it ends once a round fails none it had not failed before.
      const stalled = (await this.watchdog.failIdleRuns()).map((r) => r.runId).filter((id) => !failed.has(id));
      if (stalled.length === 0) return true;
      for (const id of stalled) failed.add(id);
    }
  }

  /** Stops everything, in reverse order of start; data stays on disk. */
  async close(): Promise<void> {
    this.memoryWatch.stop();
    await this.watchdog.stop();
    await this.alarm.stop();
    await this.endpoint?.close();
    await this.watcher?.stop();
    await this.bus.close();
    await this.transform.close();
    await this.crawler.close();
    await this.query.close();
    await this.userQueries?.close();
    await this.dynamo.close();
  }
}
