import { createHash, randomUUID } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { S3ObjectCreatedEventSchema, type S3ObjectCreatedEvent } from '../../../../contracts/aws-events';
import type { EventBusTransport, PutEventsEntry, PutEventsResponse } from '../../../../events/put-events';
import { FolderObjectStore } from '../../../../infra/emulators/object-store/folder-object-store';
import { RawZoneWatcher } from '../../../../infra/emulators/object-store/raw-zone-watcher';
import * as md5Etag from '../../../../infra/emulators/object-store/md5-etag';
import { originalKeyOf } from '../../../../infra/emulators/object-store/quarantine-key';
import { StageFailedDetailSchema } from '../../../../contracts/domain-events';

/** Accepts every entry and keeps the events as a bus would deliver them (or fails while `down`). */
class RecordingBus implements EventBusTransport {
  readonly events: S3ObjectCreatedEvent[] = [];
  readonly buses: (string | undefined)[] = [];
  /** Entries that are not S3 events (the StageFailed of a quarantined name), with their bus. */
  readonly others: PutEventsEntry[] = [];
  down = false;
  async putEvents(entries: readonly PutEventsEntry[]): Promise<PutEventsResponse> {
    if (this.down) throw Object.assign(new Error('bus is down'), { name: 'ECONNREFUSED' });
    for (const entry of entries) {
      if (entry.Source !== 'aws.s3') {
        this.others.push(entry);
        continue;
      }
      this.buses.push(entry.EventBusName);
      this.events.push(S3ObjectCreatedEventSchema.parse({
        version: '0', id: randomUUID(), 'detail-type': entry.DetailType, source: entry.Source, account: '000000000000',
        time: new Date().toISOString(), region: 'us-east-1', resources: entry.Resources ?? [], detail: JSON.parse(entry.Detail ?? 'null'),
      }));
    }
    return { FailedEntryCount: 0, Entries: entries.map(() => ({ EventId: randomUUID() })) };
  }
  keys(): string[] {
    return this.events.map((e) => e.detail.object.key);
  }
}

const QUIET = 100;
const md5 = (b: string | Buffer): string => createHash('md5').update(b).digest('hex');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await sleep(10);
  }
}

describe('RawZoneWatcher', () => {
  let home: string;
  let raw: string;
  let bus: RecordingBus;
  let watchers: RawZoneWatcher[];
  const invalid: string[] = [];
  const errors: Error[] = [];
  const runCalls: unknown[] = [];

  const startWatcher = async (transport: EventBusTransport = bus, rescanIntervalMs = 400): Promise<RawZoneWatcher> => {
    const watcher = new RawZoneWatcher({
      home, transport, quietPeriodMs: QUIET, pollIntervalMs: 20, rescanIntervalMs,
      onInvalidKey: (key) => invalid.push(key), onError: (e) => errors.push(e),
      runs: {
        recordLanding: async (input) => {
          runCalls.push({ landing: input });
          return { created: true };
        },
        transition: async (input) => {
          runCalls.push({ transition: input });
          return { applied: true };
        },
      },
    });
    watchers.push(watcher);
    await watcher.start();
    return watcher;
  };
  const write = async (key: string, body: string): Promise<void> => {
    const file = path.join(raw, ...key.split('/'));
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, body);
  };

  beforeEach(async () => {
    home = await fs.mkdtemp(path.join(os.tmpdir(), 'tributary-watch-'));
    raw = path.join(home, 'lake', 'raw');
    bus = new RecordingBus();
    watchers = [];
    invalid.length = 0;
    runCalls.length = 0;
    errors.length = 0;
  });
  afterEach(async () => {
    for (const w of watchers) await w.stop();
    await fs.rm(home, { recursive: true, force: true });
  });

  it('emits the S3 Object Created event, shaped as AWS sends it, for an object put in the raw zone', async () => {
    await startWatcher();
    const { etag } = await new FolderObjectStore({ home }).putObject('tributary-raw', 'traffic/arrival_hour=2024-01-02-03/a b.jsonl', '{"sensor":"s1"}\n');
    await waitFor(() => bus.events.length === 1);
    const [event] = bus.events;
    expect(event).toMatchObject({
      source: 'aws.s3', 'detail-type': 'Object Created', resources: ['arn:aws:s3:::tributary-raw'],
      detail: {
        version: '0', bucket: { name: 'tributary-raw' },
        object: { key: 'traffic/arrival_hour=2024-01-02-03/a b.jsonl', size: 16, etag, sequencer: expect.stringMatching(/^[0-9a-f]{16}$/) },
        'request-id': expect.stringMatching(/^[A-Z0-9]{16}$/), requester: '000000000000', reason: 'PutObject',
      },
    });
    expect(Object.keys(event?.detail ?? {})).toEqual(['version', 'bucket', 'object', 'request-id', 'requester', 'source-ip-address', 'reason']);
    expect(bus.buses).toEqual(['default']);
  });

  it('does not emit a half-written file, and emits it once complete with its final size and etag', async () => {
    await startWatcher();
    const file = path.join(raw, 'slow', 'big.csv');
    await fs.mkdir(path.dirname(file), { recursive: true });
    const handle = await fs.open(file, 'w');
    const parts = ['id,speed\n', '1,50\n', '2,61\n', '3,47\n'];
    for (const part of parts.slice(0, 3)) {
      await handle.write(part);
      await handle.sync();
      await sleep(QUIET / 2);
    }
    expect(bus.events).toEqual([]);
    await handle.write(parts[3] ?? '');
    await handle.close();
    await waitFor(() => bus.events.length === 1);
    await sleep(QUIET * 3);
    expect(bus.events).toHaveLength(1);
    expect(bus.events[0]?.detail.object).toMatchObject({ key: 'slow/big.csv', size: parts.join('').length, etag: md5(parts.join('')) });
  });

  it('finds files that were there before it started, and does not re-emit after a restart', async () => {
    await write('before/1.json', '{"a":1}');
    await write('before/2.json', '{"a":2}');
    const first = await startWatcher();
    await waitFor(() => bus.events.length === 2);
    await first.stop();

    const afterRestart = new RecordingBus();
    const second = await startWatcher(afterRestart);
    await second.pollNow();
    await sleep(QUIET * 3);
    expect(afterRestart.events).toEqual([]);
    await write('after/3.json', '{"a":3}');
    await waitFor(() => afterRestart.events.length === 1);
    expect(afterRestart.keys()).toEqual(['after/3.json']);
    const [old] = bus.events.map((e) => e.detail.object.sequencer ?? '').sort().reverse();
    expect((afterRestart.events[0]?.detail.object.sequencer ?? '') > (old ?? '')).toBe(true);
  });

  it('re-emits an overwrite with new bytes (new etag, higher sequencer) but not one with the same bytes', async () => {
    await startWatcher();
    await write('o/file.csv', 'a\n1\n');
    await waitFor(() => bus.events.length === 1);
    await write('o/file.csv', 'a\n1\n2\n');
    await waitFor(() => bus.events.length === 2);
    await sleep(20);
    await write('o/file.csv', 'a\n1\n2\n');
    await sleep(QUIET * 4);
    expect(bus.events.map((e) => e.detail.object.etag)).toEqual([md5('a\n1\n'), md5('a\n1\n2\n')]);
    const [s1, s2] = bus.events.map((e) => e.detail.object.sequencer ?? '');
    expect((s2 ?? '') > (s1 ?? '')).toBe(true);
  });

  it('ignores dotfiles and temp names until they are renamed to their final name', async () => {
    await startWatcher();
    await write('.hidden', 'x');
    await write('d/.inprogress/x.csv', 'x');
    await write('d/upload.csv.part', 'x');
    await write('d/copy.csv._COPYING_', 'x');
    await write('d/tmpfile.tmp', 'x');
    await sleep(QUIET * 3);
    expect(bus.events).toEqual([]);
    await fs.rename(path.join(raw, 'd', 'upload.csv.part'), path.join(raw, 'd', 'upload.csv'));
    await waitFor(() => bus.events.length === 1);
    expect(bus.keys()).toEqual(['d/upload.csv']);
  });

  it('quarantines a file with an invalid name under a safe, reversible name, with a StageFailed naming it, and keeps announcing the others', async () => {
    await startWatcher();
    await write('traffic/2026/01/05/07/bad\u0001name.jsonl', 'x');
    await write('good.csv', 'y');
    await waitFor(() => bus.events.length === 1 && bus.others.length === 1);
    await waitFor(() => existsSync(path.join(home, 'lake', 'quarantine', 'traffic', '2026', '01', '05', '07', 'bad%01name.jsonl')));
    await sleep(QUIET * 3);
    expect(invalid).toEqual(['traffic/2026/01/05/07/bad\u0001name.jsonl']);
    expect(bus.keys()).toEqual(['good.csv']);
    expect(existsSync(path.join(raw, 'traffic', '2026', '01', '05', '07', 'bad\u0001name.jsonl'))).toBe(false);
    const [failure] = bus.others;
    expect(failure).toMatchObject({ EventBusName: 'tributary', Source: 'tributary.pipeline', DetailType: 'StageFailed' });
    const detail = StageFailedDetailSchema.parse(JSON.parse(failure?.Detail ?? 'null'));
    expect(detail).toMatchObject({
      stage: 'register-landing', dataset: 'traffic', zone: 'quarantine', errorClass: 'input', errorName: 'PoisonInputError', retryable: false,
      object: { bucket: 'tributary-quarantine', key: 'traffic/2026/01/05/07/bad%01name.jsonl', etag: md5('x'), size: 1 },
      inspect: expect.stringMatching(/^tributary drop '.*bad%01name\.jsonl' --dataset traffic --key '2026\/01\/05\/07\/bad_name\.jsonl'$/),
    });
    expect(detail.message).toContain('raw file "traffic/2026/01/05/07/bad\\u0001name.jsonl" has a name that is not a valid object key (object key contains a control character');
    expect(originalKeyOf(detail.object?.key ?? '')).toBe('traffic/2026/01/05/07/bad\u0001name.jsonl');
    expect(runCalls).toEqual([
      { landing: { runId: detail.runId, dataset: 'traffic', object: detail.object, landedAt: expect.any(String) } },
      { transition: expect.objectContaining({ runId: detail.runId, stage: 'register-landing', status: 'quarantined', error: { errorClass: 'input', message: detail.message, retryable: false } }) },
    ]);
    expect(detail.runId).toMatch(/^run-/);
    expect(errors).toEqual([]);
  });

  it('leaves a badly named file in place, unannounced, until its StageFailed is accepted', async () => {
    bus.down = true;
    await startWatcher();
    await write('d/tab\tname.csv', 'x');
    await waitFor(() => errors.length > 0);
    expect(existsSync(path.join(raw, 'd', 'tab\tname.csv'))).toBe(true);
    bus.down = false;
    await waitFor(() => bus.others.length === 1 && existsSync(path.join(home, 'lake', 'quarantine', 'd', 'tab%09name.csv')));
    expect(existsSync(path.join(raw, 'd', 'tab\tname.csv'))).toBe(false);
    await sleep(QUIET * 3);
    expect(bus.others).toHaveLength(1);
  });

  it('keeps a file pending while the bus is down and announces it once the bus is back', async () => {
    bus.down = true;
    await startWatcher();
    await write('retry/x.csv', 'x');
    await waitFor(() => errors.length > 0);
    expect(bus.events).toEqual([]);
    bus.down = false;
    await waitFor(() => bus.events.length === 1);
    await sleep(QUIET * 2);
    expect(bus.keys()).toEqual(['retry/x.csv']);
  });

  it('notices new files between full scans through the OS watcher, in new folders and folders moved in', async () => {
    await startWatcher(bus, 60_000);
    await sleep(50);
    await write('deep/new/folder/a.csv', 'a');
    await waitFor(() => bus.events.length === 1, 3000);
    const outside = path.join(home, 'staging');
    await fs.mkdir(path.join(outside, 'batch', 'h=1'), { recursive: true });
    await fs.writeFile(path.join(outside, 'batch', 'h=1', 'b.csv'), 'b');
    await fs.rename(path.join(outside, 'batch'), path.join(raw, 'batch'));
    await waitFor(() => bus.events.length === 2, 3000);
    expect(bus.keys()).toEqual(['deep/new/folder/a.csv', 'batch/h=1/b.csv']);
  });

  it('announces many files exactly once each, with strictly increasing sequencers', async () => {
    await startWatcher();
    const keys = Array.from({ length: 300 }, (_, i) => `many/h=${i % 7}/f-${i}.jsonl`);
    await Promise.all(keys.map((key, i) => write(key, `{"i":${i}}\n`)));
    await waitFor(() => bus.events.length >= keys.length, 15_000);
    await sleep(QUIET * 3);
    expect(bus.keys().sort()).toEqual([...keys].sort());
    const sequencers = bus.events.map((e) => e.detail.object.sequencer ?? '');
    expect(sequencers.every((s, i) => i === 0 || s > (sequencers[i - 1] ?? ''))).toBe(true);
  });

  it('hashes a large drop several files at once and announces its first files before the last is hashed', async () => {
    const keys = Array.from({ length: 200 }, (_, i) => `burst/h=${i % 5}/f-${i}.jsonl`);
    await Promise.all(keys.map((key, i) => write(key, `{"i":${i}}\n`)));
    let hashing = 0;
    let mostAtOnce = 0;
    let hashed = 0;
    const real = md5Etag.etagOfFile;
    const spy = jest.spyOn(md5Etag, 'etagOfFile').mockImplementation(async (file) => {
      hashing++;
      mostAtOnce = Math.max(mostAtOnce, hashing);
      try {
        return await real(file);
      } finally {
        hashing--;
        hashed++;
      }
    });
    const hashedAtPut: number[] = [];
    const counting: EventBusTransport = { putEvents: async (entries) => (hashedAtPut.push(hashed), bus.putEvents(entries)) };
    try {
      await startWatcher(counting);
      await waitFor(() => bus.events.length >= keys.length, 15_000);
    } finally {
      spy.mockRestore();
    }
    expect(bus.keys().sort()).toEqual([...keys].sort());
    expect(mostAtOnce).toBeGreaterThan(1);
    expect(hashedAtPut[0]).toBeLessThan(keys.length);
  });
});
