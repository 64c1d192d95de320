import { watch, promises as fs, type FSWatcher, type Stats } from 'node:fs';
import * as path from 'node:path';
import { EventPublisher } from '../../../events/publisher';
import type { EventBusTransport } from '../../../events/put-events';
import { localTopologyNames } from '../../../events/topology-names';
import { bucketOf, resolveHome, validateObjectKey, Zone, zoneDir } from '../../local/lake-paths';
import { EmittedLedger } from './emitted-ledger';
import { isIgnoredKey } from './ignored-names';
import { announceInvalidName, moveToQuarantine, type QuarantineRunStore } from './invalid-name-quarantine';
import { etagOfFile } from './md5-etag';
import { s3ObjectCreatedEntry } from './s3-object-created-entry';
import { WriteCompletionTracker } from './write-completion-tracker';
import { isGone, walkFiles } from './walk-files';
import { forEachLimited } from '../../../handlers/stage-kit/for-each-limited';

/** Completed files announced per PutEvents (the watcher hashes a chunk, announces it, then the next). */
const EMIT_CHUNK = 64;
/** Files hashed at once (streamed reads: I/O-bound as much as CPU-bound). */
const HASHING = 8;

/** Settings of a RawZoneWatcher. */
export interface RawZoneWatcherOptions {
  readonly transport: EventBusTransport;
  readonly home?: string;
  /** How long size and mtime must stay unchanged before a file counts as complete. Default 300 ms. */
  readonly quietPeriodMs?: number;
  /** How often pending files are re-checked. Default 100 ms. */
  readonly pollIntervalMs?: number;
  /** How often the whole zone is rescanned, to catch events the OS watcher missed. Default 5 s. */
  readonly rescanIntervalMs?: number;
  /** The `requester` account in the events. Default `000000000000`. */
  readonly account?: string;
  /** Called, once per file version, for a file whose name is not a valid key, before it is quarantined. */
  readonly onInvalidKey?: (key: string, error: Error) => void;
  /** The bus that carries the `StageFailed` of a quarantined name. Default the local topology's (`tributary`). */
  readonly failureBusName?: string;
  /**
   * The bucket's other notification destination (S3 → SQS: the event queues of crawlers in S3 event
   * mode), sent each batch before its `Object Created` events, so whatever those events set off
   * (a landing, a crawl request) finds the objects queued. A rejection leaves the batch pending: it is
   * sent again on the next poll (at least once, as S3 delivers).
   */
  readonly notify?: (objects: readonly { readonly bucket: string; readonly key: string }[]) => Promise<void>;
  /** Run state: a quarantined name becomes a `quarantined` run, so `runs` lists it and `wait` counts it. */
  readonly runs?: QuarantineRunStore;
  /** Called for errors the watcher survives (publish failures, I/O errors); it retries on the next poll. */
  readonly onError?: (error: Error) => void;
}

/**
 * Watches `$TRIBUTARY_HOME/lake/raw` and emits, on bus `default`, the S3 EventBridge `Object Created`
 * event (AWS's exact shape; see s3-object-created-entry.ts) once per completed file, never for a
 * half-written one.
 *
 * How completion is known: files written by Tributary (`drop`, FolderObjectStore) appear by an atomic
 * rename of a fully written, fsynced temp file kept outside the zone, so they are complete on arrival.
 * Files written in place by other programs are announced only once their size and mtime (and inode)
 * are unchanged across two polls at least `quietPeriodMs` apart; names that tools use while writing
 * (dotfiles, `*.tmp`, `*.part`, `_COPYING_` …) are ignored until renamed. A file that changes while
 * being hashed goes back to waiting.
 *
 * How changes are found: a recursive `fs.watch` (events mark paths to check), plus a full scan at start
 * and every `rescanIntervalMs`, so files present before start or missed by the OS are found.
 *
 * Once per completed file: emitted (key, etag) pairs go to a JSON-lines ledger in
 * `$TRIBUTARY_HOME/state/`, appended and fsynced right after PutEvents accepts them, so a restart
 * re-emits nothing it had emitted. A crash between the two re-emits at most that batch (at-least-once,
 * as S3 itself; consumers dedupe on key + etag). A file rewritten with new bytes (new etag) is a new
 * Object Created; a rewrite with the same bytes is not.
 *
 * A completed file whose name is not a valid object key (a control character, a backslash …) is never
 * silently skipped: a `StageFailed` (input) naming it is published, then it is moved to the quarantine
 * zone under a safe, reversible name (see quarantine-key.ts), so an alert fires and the raw zone holds
 * only valid keys. A crash between the two re-alerts at most once.
 */
export class RawZoneWatcher {
  private readonly root: string;
  private readonly ledgerFile: string;
  private readonly publisher: EventPublisher;
  private readonly failures: EventPublisher;
  private readonly home: string;
  private readonly pollIntervalMs: number;
  private readonly rescanIntervalMs: number;
  private readonly pending: WriteCompletionTracker;
  private readonly dirty = new Set<string>();
  private readonly reportedInvalid = new Map<string, string>();
  private ledger: EmittedLedger | undefined;
  private fsWatcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastScan = 0;
  private chain: Promise<void> = Promise.resolve();
  private stopped = true;

  constructor(private readonly options: RawZoneWatcherOptions) {
    const home = resolveHome(options.home);
    this.home = home;
    this.root = zoneDir(home, Zone.Raw);
    this.ledgerFile = path.join(home, 'state', 'raw-zone-watcher.jsonl');
    this.publisher = new EventPublisher({ transport: options.transport, eventBusName: 'default', maxAttempts: 3 });
    this.failures = new EventPublisher({ transport: options.transport, eventBusName: options.failureBusName ?? localTopologyNames.busName, maxAttempts: 3 });
    this.pending = new WriteCompletionTracker(options.quietPeriodMs ?? 300);
    this.pollIntervalMs = options.pollIntervalMs ?? 100;
    this.rescanIntervalMs = options.rescanIntervalMs ?? 5000;
  }

  /** Opens the ledger, starts the OS watcher and the poll loop; the first poll scans the whole zone. */
  async start(): Promise<void> {
    if (!this.stopped) return;
    await fs.mkdir(this.root, { recursive: true });
    this.ledger = await EmittedLedger.open(this.ledgerFile);
    this.stopped = false;
    this.lastScan = 0;
    try {
      this.fsWatcher = watch(this.root, { recursive: true }, (_event, name) => {
        if (typeof name === 'string' && name !== '') this.dirty.add(name.split(path.sep).join('/'));
      });
      this.fsWatcher.on('error', (error) => this.report(error));
    } catch (error) {
      this.report(error);
    }
    this.schedule(0);
  }

  /** Stops watching; resolves after an in-flight poll (and its emissions) has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.fsWatcher?.close();
    this.fsWatcher = undefined;
    await this.chain;
  }

  /** Runs one poll now, with a full scan (for callers that just wrote files and want them announced soon). */
  async pollNow(): Promise<void> {
    this.lastScan = 0;
    await this.exclusive();
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.exclusive().finally(() => this.schedule(this.pollIntervalMs));
    }, delayMs);
  }

  /** Polls after any poll in flight, so two polls never interleave. */
  private exclusive(): Promise<void> {
    this.chain = this.chain.then(() => this.poll());
    return this.chain;
  }

  private async poll(): Promise<void> {
    try {
      const now = Date.now();
      if (now - this.lastScan >= this.rescanIntervalMs) {
        this.lastScan = now;
        await this.scan();
      }
      const dirty = [...this.dirty];
      this.dirty.clear();
      for (const relative of dirty) await this.checkPath(relative);
      const checked = new Set(dirty);
      for (const key of this.pending.keys()) if (!checked.has(key)) await this.checkPath(key);
      await this.emitReady();
    } catch (error) {
      this.report(error);
    }
  }

  private async scan(): Promise<void> {
    const seen = new Set<string>();
    for await (const file of walkFiles(this.root)) {
      seen.add(file.key);
      this.observe(file.key, file.stats);
    }
    const ledger = this.requireLedger();
    const vanished = [...ledger.keys()].filter((key) => !seen.has(key));
    await ledger.append(vanished.map((key) => ({ key, deleted: true as const })));
  }

  private async checkPath(relative: string): Promise<void> {
    const filePath = path.join(this.root, ...relative.split('/'));
    const stats = await fs.lstat(filePath).catch((error: unknown) => (isGone(error) ? undefined : Promise.reject(error)));
    if (stats === undefined) {
      this.pending.forget(relative);
      if (this.requireLedger().get(relative) !== undefined) await this.requireLedger().append([{ key: relative, deleted: true }]);
    } else if (stats.isDirectory()) {
      for await (const file of walkFiles(this.root, relative)) this.observe(file.key, file.stats);
    } else if (stats.isFile()) {
      this.observe(relative, stats);
    }
  }

  /** Notes a file's current stats; a new or changed file starts (or restarts) its quiet period. */
  private observe(key: string, stats: Stats): void {
    if (isIgnoredKey(key)) return;
    const emitted = this.requireLedger().get(key);
    if (emitted !== undefined && emitted.size === stats.size && emitted.mtimeMs === stats.mtimeMs) {
      this.pending.forget(key);
      return;
    }
    this.pending.observe(key, stats);
  }

  /**
   * Announces the completed files, {@link EMIT_CHUNK} at a time: each chunk's files are hashed
   * {@link HASHING} at once and announced in one PutEvents before the next chunk is hashed, so a large
   * drop starts landing (and register-landing, which the bus runs concurrently) after its first chunk,
   * not after the last file is hashed.
   */
  private async emitReady(): Promise<void> {
    const due = this.pending.due();
    for (let i = 0; i < due.length && !this.stopped; i += EMIT_CHUNK) await this.emitChunk(due.slice(i, i + EMIT_CHUNK));
  }

  private async emitChunk(due: readonly { key: string; signature: string }[]): Promise<void> {
    const ledger = this.requireLedger();
    const valid: { key: string; signature: string }[] = [];
    for (const item of due) {
      const invalid = invalidKeyError(item.key);
      // One file that cannot be quarantined must not hold up the others' announcements.
      if (invalid !== undefined) await this.quarantine(item.key, path.join(this.root, ...item.key.split('/')), item.signature, invalid).catch((error: unknown) => this.report(error));
      else valid.push(item);
    }
    const hashed: ({ key: string; etag: string; size: number; mtimeMs: number } | undefined)[] = valid.map(() => undefined);
    await forEachLimited(valid, HASHING, async ({ key, signature }, index) => {
      const filePath = path.join(this.root, ...key.split('/'));
      const etag = await etagOfFile(filePath).catch((error: unknown) => (isGone(error) ? undefined : Promise.reject(error)));
      const after = await fs.lstat(filePath).catch(() => undefined);
      if (etag === undefined || after === undefined || WriteCompletionTracker.signatureOf(after) !== signature) return;
      hashed[index] = { key, etag, size: after.size, mtimeMs: after.mtimeMs };
    });
    const ready: { key: string; etag: string; size: number; mtimeMs: number }[] = [];
    for (const file of hashed) {
      if (file === undefined) continue;
      if (ledger.get(file.key)?.etag === file.etag) {
        await ledger.append([{ ...file, sequencer: ledger.nextSequencer() }]);
        this.pending.forget(file.key);
        continue;
      }
      ready.push(file);
    }
    if (ready.length === 0) return;
    const withSequencers = ready.map((r) => ({ ...r, sequencer: ledger.nextSequencer() }));
    const requester = this.options.account ?? '000000000000';
    await this.options.notify?.(ready.map((r) => ({ bucket: bucketOf(Zone.Raw), key: r.key })));
    const result = await this.publisher.putEntries(withSequencers.map((r) => s3ObjectCreatedEntry({ bucket: bucketOf(Zone.Raw), requester, ...r })));
    const accepted = withSequencers.filter((_, index) => result.eventIds[index] !== undefined);
    await ledger.append(accepted);
    for (const r of accepted) this.pending.forget(r.key);
    for (const failure of result.failed) this.report(new Error(`Object Created for ${withSequencers[failure.index]?.key} not accepted: ${failure.errorCode}: ${failure.errorMessage}`));
  }

  /**
   * Alerts on a completed file with an invalid name (once per version) and moves it to quarantine.
   * A failed publish or move is reported and retried on the next poll; the alert is not repeated.
   */
  private async quarantine(key: string, filePath: string, signature: string, reason: Error): Promise<void> {
    const stats = await fs.lstat(filePath).catch((error: unknown) => (isGone(error) ? undefined : Promise.reject(error)));
    if (stats === undefined) return this.pending.forget(key);
    if (WriteCompletionTracker.signatureOf(stats) !== signature) return;
    if (this.reportedInvalid.get(key) !== signature) {
      this.options.onInvalidKey?.(key, reason);
      const etag = await etagOfFile(filePath);
      const announced = await announceInvalidName({ home: this.home, key, filePath, etag, size: stats.size, reason }, this.failures, new Date(), this.options.runs);
      if (!announced) return this.report(new Error(`StageFailed for the invalid name ${JSON.stringify(key)} not accepted; retrying`));
      this.reportedInvalid.set(key, signature);
    }
    await moveToQuarantine({ home: this.home, key, filePath });
    this.reportedInvalid.delete(key);
    this.pending.forget(key);
  }

  private requireLedger(): EmittedLedger {
    if (this.ledger === undefined) throw new Error('RawZoneWatcher is not started');
    return this.ledger;
  }

  private report(error: unknown): void {
    this.options.onError?.(error instanceof Error ? error : new Error(String(error)));
  }
}

/** The validator's error for an invalid key, or undefined for a valid one. */
function invalidKeyError(key: string): Error | undefined {
  try {
    validateObjectKey(key);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}
