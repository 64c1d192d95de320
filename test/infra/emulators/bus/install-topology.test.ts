import type { EventEnvelope } from '../../../../contracts/envelope';
import { ruleTable, serviceForwardingPattern } from '../../../../events/rules';
import { localTopologyNames } from '../../../../events/topology-names';
import { installTopology } from '../../../../infra/emulators/bus/install-topology';
import { BusFixture } from './bus-test-helpers';

const fixture = new BusFixture();
afterEach(() => fixture.cleanup());

describe('installTopology', () => {
  it('installs the rule table and the forwarding rule, so an S3 event on default reaches the landing stage', async () => {
    const bus = await fixture.open();
    const rows = ruleTable(localTopologyNames);
    await installTopology(bus, rows, { name: 'forward-service-events', pattern: serviceForwardingPattern(localTopologyNames), toBus: 'tributary' });
    await installTopology(bus, rows);
    const received = new Map<string, EventEnvelope[]>();
    for (const row of rows) {
      bus.registerStageHandler(row.target, (event) => {
        received.set(row.target, [...(received.get(row.target) ?? []), event]);
      });
    }
    expect((await bus.listRules({ EventBusName: 'tributary' })).Rules.map((rule) => rule.Name).sort()).toEqual(rows.map((row) => row.id).sort());
    const [first] = rows;
    const targets = (await bus.listTargetsByRule({ Rule: first?.id ?? '', EventBusName: 'tributary' })).Targets;
    expect(targets).toEqual([
      {
        Id: first?.target,
        Arn: `arn:tributary:stage:${first?.target}`,
        RetryPolicy: { MaximumRetryAttempts: first?.retryPolicy.maximumRetryAttempts, MaximumEventAgeInSeconds: first?.retryPolicy.maximumEventAgeInSeconds },
        DeadLetterConfig: { Arn: `arn:aws:sqs:us-east-1:000000000000:${first?.deadLetterQueue}` },
      },
    ]);
    bus.start();
    const detail = { version: '0', bucket: { name: 'tributary-raw' }, object: { key: 'traffic/a.jsonl', size: 5, etag: 'e', sequencer: '1' }, reason: 'PutObject' };
    await bus.putEvents([
      { Source: 'aws.s3', DetailType: 'Object Created', Detail: JSON.stringify(detail) },
      { Source: 'aws.s3', DetailType: 'Object Created', Detail: JSON.stringify({ ...detail, bucket: { name: 'someone-elses' } }) },
    ]);
    await bus.whenQuiescent();
    const landing = rows.find((row) => row.id === 'raw-object-created')?.target ?? '';
    expect(received.get(landing)?.map((event) => event.detail.bucket)).toEqual([{ name: 'tributary-raw' }]);
    expect([...received.keys()]).toEqual([landing]);
  });
});
