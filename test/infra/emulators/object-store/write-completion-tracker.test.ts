import type { Stats } from 'node:fs';
import { WriteCompletionTracker } from '../../../../infra/emulators/object-store/write-completion-tracker';

const stats = (size: number, mtimeMs: number, ino = 1): Stats => ({ size, mtimeMs, ino }) as Stats;

describe('WriteCompletionTracker', () => {
  it('reports a file due only after its version has been unchanged for the quiet period', () => {
    let now = 0;
    const tracker = new WriteCompletionTracker(300, () => now);
    tracker.observe('f', stats(10, 1));
    now = 299;
    tracker.observe('f', stats(10, 1));
    expect(tracker.due()).toEqual([]);
    now = 300;
    expect(tracker.due()).toEqual([{ key: 'f', signature: '1:10:1' }]);
  });

  it('restarts the wait on any change of size, mtime or inode', () => {
    let now = 0;
    const tracker = new WriteCompletionTracker(100, () => now);
    tracker.observe('f', stats(10, 1));
    for (const next of [stats(20, 1), stats(20, 2), stats(20, 2, 7)]) {
      now += 90;
      tracker.observe('f', next);
      now += 90;
      expect(tracker.due()).toEqual([]);
    }
    now += 10;
    expect(tracker.due().map((d) => d.key)).toEqual(['f']);
    tracker.forget('f');
    expect(tracker.keys()).toEqual([]);
  });
});
