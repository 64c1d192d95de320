import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { deliveredObjectKey, type DeliveryStreamDefinition } from '../../../../infra/emulators/firehose/delivery-stream-definition';
import { IngestJournal } from '../../../../infra/emulators/firehose/ingest-journal';
import { LocalFirehose } from '../../../../infra/emulators/firehose/local-firehose';
import { saveStreams } from '../../../../infra/emulators/firehose/stream-registry';
import { FolderObjectStore } from '../../../../infra/emulators/object-store/folder-object-store';
import { tempDirs } from '../../../integration/pipeline-harness';

const stream: DeliveryStreamDefinition = {
  id: 'stream-1',
  name: 'events',
  createdAtMs: 0,
  bucket: 'tributary-raw',
  roleArn: 'arn:aws:iam::000000000000:role/r',
  prefix: 'events/',
  sizeBytes: 1024 * 1024,
  intervalMs: 900_000,
  compression: 'UNCOMPRESSED',
  delimiter: '\n',
  tags: [],
};
const b64 = (text: string): string => Buffer.from(text).toString('base64');

async function objectsOf(home: string): Promise<Map<string, string>> {
  const dir = path.join(home, 'lake', 'raw');
  const out = new Map<string, string>();
  for (const e of await fs.readdir(dir, { recursive: true, withFileTypes: true }).catch(() => [])) {
    if (e.isFile()) out.set(path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'), await fs.readFile(path.join(e.parentPath, e.name), 'utf8'));
  }
  return out;
}

/**
 * The states a kill -9 can leave between journaling a delivery and confirming it, built directly in
 * the journal: on open, each record ends in exactly one object.
 */
describe('LocalFirehose recovery from its journal', () => {
  const dir = tempDirs();

  async function crashedHome(objectWritten: boolean): Promise<{ home: string; key: string }> {
    const home = await dir('firehose-recovery');
    const state = path.join(home, 'state', 'firehose');
    await saveStreams(path.join(state, 'streams.json'), [stream]);
    const { journal } = await IngestJournal.open(path.join(state, 'journal'));
    const at = Date.parse('2026-03-01T10:15:00Z');
    await journal.appendPut({ s: stream.id, n: 0, at, d: [b64('a'), b64('b')] });
    const key = deliveredObjectKey(stream, at, '00000000-0000-4000-8000-000000000000');
    await journal.appendFlush({ s: stream.id, k: key, from: 0, to: 1, at });
    await journal.appendPut({ s: stream.id, n: 2, at: at + 1000, d: [b64('c')] });
    await journal.close();
    if (objectWritten) await new FolderObjectStore({ home }).putObject('tributary-raw', key, 'a\nb\n');
    return { home, key };
  }

  it.each([
    ['the delivery was journaled but its object never written', false],
    ['the object was written but not confirmed', true],
  ])('%s: the object is there once, and records after it are delivered in a new one', async (_case, written) => {
    const { home, key } = await crashedHome(written);
    const firehose = await LocalFirehose.open({ dir: path.join(home, 'state', 'firehose'), objects: new FolderObjectStore({ home }) });
    await firehose.drain();
    await firehose.close();
    const objects = await objectsOf(home);
    expect(key).toMatch(/^events\/2026\/03\/01\/10\/events-1-2026-03-01-10-15-00-0{8}-/);
    expect(objects.get(key)).toBe('a\nb\n');
    expect([...objects.values()].sort()).toEqual(['a\nb\n', 'c\n']);

    const again = await LocalFirehose.open({ dir: path.join(home, 'state', 'firehose'), objects: new FolderObjectStore({ home }) });
    await again.close();
    expect((await objectsOf(home)).size).toBe(2);
  });
});
