import type { EventEnvelope } from '../../../../contracts/envelope';
import { busArn, stageTargetArn } from '../../../../infra/emulators/bus/bus-arns';
import type { LocalEventBus } from '../../../../infra/emulators/bus/local-event-bus';
import { BusFixture, entry } from './bus-test-helpers';

const fixture = new BusFixture();
afterEach(() => fixture.cleanup());

async function subscribe(bus: LocalEventBus, name: string, pattern: object): Promise<EventEnvelope[]> {
  const received: EventEnvelope[] = [];
  bus.registerStageHandler(name, (event) => {
    received.push(event);
  });
  const { RuleArn } = await bus.putRule({ Name: name, EventBusName: 'tributary', EventPattern: JSON.stringify(pattern) });
  await bus.putTargets({ Rule: name, EventBusName: 'tributary', Targets: [{ Id: name, Arn: stageTargetArn(name) }] });
  expect(RuleArn).toContain(`rule/tributary/${name}`);
  return received;
}

async function replayed(bus: LocalEventBus, name: string): Promise<void> {
  for (let i = 0; i < 2000 && (await bus.describeReplay({ ReplayName: name })).State !== 'COMPLETED'; i++) await new Promise((resolve) => setTimeout(resolve, 5));
  await bus.whenQuiescent();
}

const at = (iso: string): Date => new Date(iso);

describe('archives', () => {
  it('archives only events on its bus that match its pattern, and persists definition and events', async () => {
    const home = await fixture.home();
    const bus = await fixture.open({ home });
    const created = await bus.createArchive({ ArchiveName: 'orders', EventSourceArn: busArn('tributary'), EventPattern: '{"source":["orders"]}', RetentionDays: 0 });
    expect(created).toMatchObject({ ArchiveArn: 'arn:aws:events:us-east-1:000000000000:archive/orders', State: 'ENABLED' });
    await expect(bus.createArchive({ ArchiveName: 'orders', EventSourceArn: busArn('tributary') })).rejects.toMatchObject({
      code: 'ResourceAlreadyExistsException',
      message: 'Archive orders already exists.',
    });
    await expect(bus.createArchive({ ArchiveName: 'x', EventSourceArn: busArn('nope') })).rejects.toMatchObject({ code: 'ResourceNotFoundException', message: 'Event bus nope does not exist.' });
    await expect(bus.createArchive({ ArchiveName: 'x', EventSourceArn: busArn('tributary'), EventPattern: '"x"' })).rejects.toMatchObject({ code: 'InvalidEventPatternException' });
    await bus.putEvents([entry('orders'), entry('other'), { ...entry('orders'), EventBusName: 'default' }]);
    expect((await bus.describeArchive({ ArchiveName: 'orders' })).EventCount).toBe(1);
    await bus.close();
    const reopened = await fixture.open({ home });
    expect(await reopened.describeArchive({ ArchiveName: 'orders' })).toMatchObject({ EventCount: 1, EventSourceArn: busArn('tributary'), RetentionDays: 0 });
    expect((await reopened.listArchives({ EventSourceArn: busArn('tributary') })).Archives.map((a) => a.ArchiveName)).toEqual(['orders']);
    await expect(reopened.describeArchive({ ArchiveName: 'ghost' })).rejects.toMatchObject({ code: 'ResourceNotFoundException' });
  });

  it('drops events older than the retention on reopen', async () => {
    const home = await fixture.home();
    let clock = Date.parse('2025-03-01T00:00:00Z');
    const bus = await fixture.open({ home, now: () => clock });
    await bus.createArchive({ ArchiveName: 'short', EventSourceArn: busArn('tributary'), RetentionDays: 1 });
    await bus.createArchive({ ArchiveName: 'forever', EventSourceArn: busArn('tributary') });
    await bus.putEvents([entry('a')]);
    await bus.close();
    clock += 2 * 86_400_000;
    const later = await fixture.open({ home, now: () => clock });
    expect((await later.describeArchive({ ArchiveName: 'short' })).EventCount).toBe(0);
    expect((await later.describeArchive({ ArchiveName: 'forever' })).EventCount).toBe(1);
  });
});

describe('replay', () => {
  async function setup() {
    const bus = await fixture.open();
    await bus.createArchive({ ArchiveName: 'all', EventSourceArn: busArn('tributary') });
    const first = await subscribe(bus, 'first', { source: ['a'] });
    const second = await subscribe(bus, 'second', { source: ['a'] });
    bus.start();
    const response = await bus.putEvents([
      { ...entry('a', { n: 0 }), Time: at('2025-01-01T00:00:00Z') },
      { ...entry('a', { n: 1 }), Time: at('2025-01-01T00:01:00Z') },
      { ...entry('a', { n: 2 }), Time: at('2025-01-01T00:02:00Z') },
    ]);
    await bus.whenQuiescent();
    first.length = 0;
    second.length = 0;
    return { bus, first, second, ids: response.Entries.map((e) => e.EventId) };
  }

  it('re-sends the half-open window [start, end) to the filtered rules only, with replay-name, original id and time', async () => {
    const { bus, first, second, ids } = await setup();
    const started = await bus.startReplay({
      ReplayName: 'backfill',
      EventSourceArn: 'arn:aws:events:us-east-1:000000000000:archive/all',
      EventStartTime: at('2025-01-01T00:00:00Z'),
      EventEndTime: at('2025-01-01T00:02:00Z'),
      Destination: { Arn: busArn('tributary'), FilterArns: ['arn:aws:events:us-east-1:000000000000:rule/tributary/first'] },
    });
    expect(started).toMatchObject({ ReplayArn: 'arn:aws:events:us-east-1:000000000000:replay/backfill', State: 'STARTING' });
    await replayed(bus, 'backfill');
    expect(second).toEqual([]);
    expect(first.map((e) => [e.id, e.time, e['replay-name']])).toEqual([
      [ids[0], '2025-01-01T00:00:00Z', 'backfill'],
      [ids[1], '2025-01-01T00:01:00Z', 'backfill'],
    ]);
    expect(Object.keys(first[0] ?? {})).toEqual(['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'replay-name', 'resources', 'detail']);
    expect((await bus.describeArchive({ ArchiveName: 'all' })).EventCount).toBe(3);
    expect(await bus.describeReplay({ ReplayName: 'backfill' })).toMatchObject({
      State: 'COMPLETED',
      EventLastReplayedTime: at('2025-01-01T00:01:00Z'),
      Destination: { Arn: busArn('tributary') },
    });
  });

  it('re-matches replayed events against all current rules when FilterArns is omitted', async () => {
    const { bus, first, second } = await setup();
    const late = await subscribe(bus, 'late', { source: ['a'], 'replay-name': [{ exists: true }] });
    await bus.startReplay({ ReplayName: 'all', EventSourceArn: 'arn:aws:events:us-east-1:000000000000:archive/all', EventStartTime: at('2024-01-01T00:00:00Z'), EventEndTime: at('2026-01-01T00:00:00Z'), Destination: { Arn: busArn('tributary') } });
    await replayed(bus, 'all');
    expect([first.length, second.length, late.length]).toEqual([3, 3, 3]);
  });

  it('validates as EventBridge does', async () => {
    const { bus } = await setup();
    const base = { ReplayName: 'r', EventSourceArn: 'arn:aws:events:us-east-1:000000000000:archive/all', EventStartTime: at('2025-01-01T00:00:00Z'), EventEndTime: at('2025-01-02T00:00:00Z'), Destination: { Arn: busArn('tributary') } };
    await expect(bus.startReplay({ ...base, EventEndTime: base.EventStartTime })).rejects.toMatchObject({
      code: 'ValidationException',
      message: 'Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime.',
    });
    await expect(bus.startReplay({ ...base, EventSourceArn: 'arn:aws:events:us-east-1:000000000000:archive/none' })).rejects.toMatchObject({
      message: 'Parameter EventSourceArn is not valid. Reason: Archive none does not exist.',
    });
    await expect(bus.startReplay({ ...base, Destination: { Arn: busArn('default') } })).rejects.toMatchObject({
      message: 'Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.',
    });
    await expect(bus.startReplay({ ...base, Destination: { Arn: busArn('ghost') } })).rejects.toMatchObject({ code: 'ResourceNotFoundException', message: 'Event bus ghost does not exist.' });
    await bus.startReplay(base);
    await expect(bus.startReplay(base)).rejects.toMatchObject({ code: 'ResourceAlreadyExistsException', message: 'Replay r already exists.' });
    await expect(bus.describeReplay({ ReplayName: 'ghost' })).rejects.toMatchObject({ code: 'ResourceNotFoundException' });
    await replayed(bus, 'r');
  });
});
