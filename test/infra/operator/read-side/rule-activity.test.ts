import { ruleTable } from '../../../../events/rules';
import { localTopologyNames } from '../../../../events/topology-names';
import { installTopology } from '../../../../infra/emulators/bus/install-topology';
import { LOCAL_ARCHIVE } from '../../../../infra/local/runtime/embedded-runtime';
import { RuleActivity } from '../../../../infra/operator/read-side/rule-activity';
import { BusFixture } from '../../emulators/bus/bus-test-helpers';

const fixture = new BusFixture();
afterEach(() => fixture.cleanup());

const objectCreated = (key: string) => ({
  Source: 'aws.s3',
  DetailType: 'Object Created',
  EventBusName: localTopologyNames.busName,
  Detail: JSON.stringify({ version: '0', bucket: { name: localTopologyNames.rawBucket }, object: { key, size: 5, etag: 'e', sequencer: '1' }, reason: 'PutObject' }),
});

describe('RuleActivity', () => {
  it('counts what the bus matched, delivered, retried and dead-lettered per rule, following the logs as they grow', async () => {
    const home = await fixture.home();
    const bus = await fixture.open({ home });
    const rows = ruleTable(localTopologyNames);
    await installTopology(bus, rows);
    await bus.createArchive({ ArchiveName: LOCAL_ARCHIVE, EventSourceArn: `arn:aws:events:us-east-1:000000000000:event-bus/${localTopologyNames.busName}`, RetentionDays: 0 });
    for (const row of rows) {
      bus.registerStageHandler(row.target, (event) => {
        if (JSON.stringify(event.detail).includes('poison')) throw new Error('this object is poison');
      });
    }
    bus.start();
    await bus.putEvents([objectCreated('traffic/a.jsonl'), objectCreated('traffic/poison.jsonl')]);
    await bus.whenQuiescent();

    const activity = new RuleActivity(home, rows);
    await activity.refresh();
    const landing = activity.counts()['raw-object-created'];
    expect(landing).toMatchObject({ matched: 2, delivered: 1, deadLettered: 1, pending: 0 });
    expect(landing?.retried).toBeGreaterThan(0);
    expect(activity.counts()['raw-landed-crawl']).toEqual({ matched: 0, delivered: 0, retried: 0, deadLettered: 0, pending: 0 });
    const recent = activity.recentMatches('raw-object-created', 5) ?? [];
    expect(recent.map((m) => m.outcome).sort()).toEqual(['dead-lettered', 'delivered']);
    expect(activity.recentMatches('no-such-rule', 5)).toBeUndefined();

    const [message] = bus.listDeadLetterMessages(rows.find((r) => r.id === 'raw-object-created')?.deadLetterQueue ?? '');
    await bus.deleteDeadLetterMessage(message?.queue ?? '', message?.messageId ?? '');
    await bus.putEvents([objectCreated('traffic/b.jsonl')]);
    await bus.whenQuiescent();
    await activity.refresh();
    expect(activity.counts()['raw-object-created']).toMatchObject({ matched: 3, delivered: 3, deadLettered: 0, pending: 0 });
  });

  it('keeps every count across a restart of the bus, whose compaction drops the settled deliveries\' attempt records', async () => {
    const home = await fixture.home();
    const rows = ruleTable(localTopologyNames);
    const start = async () => {
      const bus = await fixture.open({ home });
      for (const row of rows) {
        bus.registerStageHandler(row.target, (event) => {
          if (JSON.stringify(event.detail).includes('flaky') && (flaky += 1) <= 2) throw new Error('not yet');
          if (JSON.stringify(event.detail).includes('poison')) throw new Error('this object is poison');
        });
      }
      return bus;
    };
    let flaky = 0;
    const bus = await start();
    await installTopology(bus, rows);
    await bus.createArchive({ ArchiveName: LOCAL_ARCHIVE, EventSourceArn: `arn:aws:events:us-east-1:000000000000:event-bus/${localTopologyNames.busName}`, RetentionDays: 0 });
    bus.start();
    await bus.putEvents([objectCreated('traffic/a.jsonl'), objectCreated('traffic/flaky.jsonl'), objectCreated('traffic/poison.jsonl')]);
    await bus.whenQuiescent();
    const before = new RuleActivity(home, rows);
    await before.refresh();
    const counted = before.counts();
    expect(counted['raw-object-created']).toMatchObject({ matched: 3, delivered: 2, deadLettered: 1, pending: 0 });
    // Two retries of the flaky delivery, and the poison one's retries before its DLQ.
    expect(counted['raw-object-created']?.retried).toBeGreaterThan(2);

    await bus.close();
    const again = await start();
    again.start();
    await again.whenQuiescent();
    const after = new RuleActivity(home, rows);
    await after.refresh();
    expect(after.counts()).toEqual(counted);
    // And once more, over a journal that already starts with the folded counts.
    await again.close();
    (await start()).start();
    const third = new RuleActivity(home, rows);
    await third.refresh();
    expect(third.counts()).toEqual(counted);
  });
});
