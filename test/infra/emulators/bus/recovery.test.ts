import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { SegmentedLog } from '../../../../infra/emulators/bus/segmented-log';
import { stageTargetArn } from '../../../../infra/emulators/bus/bus-arns';
import { BusFixture, entry } from './bus-test-helpers';

const fixture = new BusFixture();
afterEach(() => fixture.cleanup());

describe('restart recovery and compaction', () => {
  it('resumes exactly the unsettled deliveries across several restarts, and deletes settled segments', async () => {
    const home = await fixture.home();
    const options = { home, segmentBytes: 2048, backoffBaseMs: 60_000, backoffMaxMs: 60_000 };
    const first = await fixture.open(options);
    await first.putRule({ Name: 'r', EventBusName: 'tributary', EventPattern: '{"source":["a"]}' });
    await first.putTargets({ Rule: 'r', EventBusName: 'tributary', Targets: [{ Id: 's', Arn: stageTargetArn('s') }] });
    const delivered: number[] = [];
    first.registerStageHandler('s', (event) => {
      const n = Number(event.detail.n);
      if (n >= 40 && n % 2 === 1) throw new Error('later');
      delivered.push(n);
    });
    first.start();
    for (let call = 0; call < 10; call++) await first.putEvents(Array.from({ length: 10 }, (_, i) => entry('a', { n: call * 10 + i, pad: 'x'.repeat(60) })));
    for (let i = 0; i < 2000 && delivered.length < 70; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(delivered).toHaveLength(70);
    await first.close();
    const eventsDir = path.join(home, 'bus', 'events');
    const segmentsBefore = await SegmentedLog.segmentIds(eventsDir);
    // Segments whose events were all delivered (n < 40) were deleted while running.
    expect(Math.min(...segmentsBefore)).toBeGreaterThan(1);

    const second = await fixture.open(options);
    await second.close();
    expect(await SegmentedLog.segmentIds(eventsDir)).toEqual(segmentsBefore);

    const third = await fixture.open(options);
    const redelivered: number[] = [];
    third.registerStageHandler('s', (event) => {
      redelivered.push(Number(event.detail.n));
    });
    third.start();
    await third.whenQuiescent();
    expect(redelivered.sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => 41 + 2 * i));
    await third.close();
    const fourth = await fixture.open(options);
    expect(await SegmentedLog.segmentIds(eventsDir)).toEqual([Math.max(...segmentsBefore)]);
    expect(await fs.readdir(path.join(home, 'bus', 'journal'))).toHaveLength(1);
    expect(fourth.isQuiescent()).toBe(true);
  });
});
