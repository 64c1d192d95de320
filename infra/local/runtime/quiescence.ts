import type { BatchTransformPort } from '../../../handlers/ports/batch-transform';
import { CrawlerState, type CrawlerPort } from '../../../handlers/ports/crawler';
import { QueryState, type QueryEnginePort } from '../../../handlers/ports/query-engine';
import type { LocalEventBus } from '../../emulators/bus/local-event-bus';
import type { RawZoneWatcher } from '../../emulators/object-store/raw-zone-watcher';
import type { DlqAlarm } from './dlq-alarm';

const TICK_MS = 100;
/** Idle checks in a row before the pipeline counts as quiescent: longer than the watcher's quiet period. */
const STABLE_TICKS = 10;
/** The raw-zone watcher's quiet period (its default, which the runtime keeps). */
const WATCHER_QUIET_MS = 300;

/**
 * Decides when the embedded pipeline has nothing left to do. The bus being idle is not enough: a
 * crawl, query or transform may be running with its end event still to come. So every check also
 * asks the crawlers, and every query and transform started through the tracked ports, whether they
 * are finished; raises DLQ alarms; and counts as quiescent only after STABLE_TICKS idle checks in a
 * row (a file just dropped needs the watcher's quiet period to be announced).
 */
export class Quiescence {
  private readonly queries = new Set<string>();
  private readonly transforms = new Set<string>();

  constructor(
    private readonly parts: {
      readonly bus: LocalEventBus;
      readonly crawler: CrawlerPort;
      readonly alarm: DlqAlarm;
      readonly watcher: RawZoneWatcher | undefined;
      readonly crawlerNames: () => Promise<string[]>;
    },
  ) {}

  /**
   * Wraps the query port so that every query it starts is waited for. Every call of the port is
   * passed on, the optional `whenQueryFinished` too (without it `runQuery` would wake only at its
   * next poll, up to a second after the query ended).
   */
  trackQueries(engine: QueryEnginePort): QueryEnginePort {
    const whenQueryFinished = engine.whenQueryFinished?.bind(engine);
    return {
      startQueryExecution: async (input) => {
        const out = await engine.startQueryExecution(input);
        this.queries.add(out.QueryExecutionId);
        return out;
      },
      getQueryExecution: (id) => engine.getQueryExecution(id),
      getQueryResults: (id, options) => engine.getQueryResults(id, options),
      ...(whenQueryFinished ? { whenQueryFinished } : {}),
    };
  }

  /** Also waits for these queries (ones the engine resumed after a crash, not started through the port). */
  trackQueryIds(ids: Iterable<string>): void {
    for (const id of ids) this.queries.add(id);
  }

  /** Also waits for these transform jobs (ones the runner resumed after a crash). */
  trackTransformNames(names: Iterable<string>): void {
    for (const name of names) this.transforms.add(name);
  }

  private async queriesDone(engine: QueryEnginePort): Promise<boolean> {
    for (const id of this.queries) {
      const state = (await engine.getQueryExecution(id).catch(() => undefined))?.Status.State;
      if (state === QueryState.Queued || state === QueryState.Running) return false;
      this.queries.delete(id);
    }
    return true;
  }

  /** Wraps the transform port so that every job it starts is waited for. */
  trackTransforms(transform: BatchTransformPort): BatchTransformPort {
    return {
      createTransformJob: async (request) => {
        const out = await transform.createTransformJob(request);
        this.transforms.add(request.TransformJobName);
        return out;
      },
      describeTransformJob: (name) => transform.describeTransformJob(name),
    };
  }

  private async transformsDone(transform: BatchTransformPort): Promise<boolean> {
    for (const name of this.transforms) {
      const status = (await transform.describeTransformJob(name).catch(() => undefined))?.TransformJobStatus;
      if (status === 'InProgress' || status === 'Stopping') return false;
      this.transforms.delete(name);
    }
    return true;
  }

  private async crawlersIdle(): Promise<boolean> {
    for (const name of await this.parts.crawlerNames()) {
      const crawler = await this.parts.crawler.getCrawler(name);
      if (crawler && crawler.State !== CrawlerState.Ready) return false;
    }
    return true;
  }

  /** One check: true when nothing is pending anywhere right now. */
  async idle(query: QueryEnginePort, transform: BatchTransformPort): Promise<boolean> {
    if ((await this.parts.alarm.check()) > 0) return false;
    return this.parts.bus.isQuiescent() && (await this.crawlersIdle()) && (await this.queriesDone(query)) && (await this.transformsDone(transform));
  }

  /** Waits until quiescent (true) or until `timeoutMs` passes (false). */
  async wait(query: QueryEnginePort, transform: BatchTransformPort, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    if (this.parts.watcher) {
      // Files the first poll finds are announced only after the watcher's quiet period, and hashing a
      // big drop can take longer than STABLE_TICKS: poll again after the quiet period and wait for that
      // poll's emissions, so files present before the call are on the bus before idleness is judged.
      await this.parts.watcher.pollNow();
      await new Promise((resolve) => setTimeout(resolve, WATCHER_QUIET_MS + TICK_MS));
      await this.parts.watcher.pollNow();
    }
    let stable = 0;
    while (Date.now() < deadline) {
      stable = (await this.idle(query, transform)) ? stable + 1 : 0;
      if (stable >= STABLE_TICKS) return true;
      await new Promise((resolve) => setTimeout(resolve, TICK_MS));
    }
    return false;
  }
}
