import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EmittedLedger } from '../../../../infra/emulators/object-store/emitted-ledger';

describe('EmittedLedger', () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tributary-ledger-'));
    file = path.join(dir, 'state', 'ledger.jsonl');
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  it('survives reopening: last line per key wins, deletions forget, sequencers keep growing', async () => {
    const ledger = await EmittedLedger.open(file);
    const s1 = ledger.nextSequencer(1000);
    await ledger.append([{ key: 'a', etag: 'e1', size: 1, mtimeMs: 1, sequencer: s1 }, { key: 'b', etag: 'e2', size: 2, mtimeMs: 2, sequencer: ledger.nextSequencer(1000) }]);
    await ledger.append([{ key: 'a', etag: 'e3', size: 3, mtimeMs: 3, sequencer: ledger.nextSequencer(1000) }, { key: 'b', deleted: true }]);
    const reopened = await EmittedLedger.open(file);
    expect(reopened.get('a')).toEqual({ etag: 'e3', size: 3, mtimeMs: 3 });
    expect(reopened.get('b')).toBeUndefined();
    expect(s1).toMatch(/^[0-9a-f]{16}$/);
    expect(reopened.nextSequencer(0) > ledger.nextSequencer(0)).toBe(false);
    expect(reopened.nextSequencer(0) > s1).toBe(true);
  });

  it('skips a torn last line left by a crash mid-append', async () => {
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, '{"key":"a","etag":"e","size":1,"mtimeMs":1,"sequencer":"00000000000003e8"}\n{"key":"b","et');
    const ledger = await EmittedLedger.open(file);
    expect(ledger.get('a')).toEqual({ etag: 'e', size: 1, mtimeMs: 1 });
    expect([...ledger.keys()]).toEqual(['a']);
  });

  it('compacts a ledger that is mostly stale, keeping what it means', async () => {
    const ledger = await EmittedLedger.open(file);
    for (let i = 0; i < 30; i += 1) {
      await ledger.append(Array.from({ length: 100 }, (_, k) => ({ key: `k${k}`, etag: `e${i}`, size: i, mtimeMs: i, sequencer: ledger.nextSequencer(5) })));
    }
    const last = ledger.nextSequencer(5);
    const reopened = await EmittedLedger.open(file);
    expect((await fs.readFile(file, 'utf8')).trim().split('\n')).toHaveLength(100);
    expect(reopened.get('k42')).toEqual({ etag: 'e29', size: 29, mtimeMs: 29 });
    expect(reopened.nextSequencer(5) >= last).toBe(true);
  });
});
