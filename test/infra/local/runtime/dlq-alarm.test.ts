import '../../../integration/quiet-logs';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { deadLetterQueueArn } from '../../../../infra/emulators/bus/bus-arns';
import { EmbeddedRuntime } from '../../../../infra/local/runtime/embedded-runtime';
import { localTopologyNames } from '../../../../events/topology-names';
import { tempDirs } from '../../../integration/pipeline-harness';
import { refusingTarget } from '../../../integration/refusing-target';

jest.setTimeout(120_000);

async function deliveryAlerts(home: string): Promise<unknown[]> {
  const text = await fs.readFile(path.join(home, 'alerts.jsonl'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l): unknown => JSON.parse(l))
    .filter((a) => JSON.stringify(a).includes('"errorClass":"delivery"'));
}

describe('the dead-letter alarm of a running pipeline', () => {
  const tempDir = tempDirs();

  it('pages a new dead letter while the pipeline runs, with nobody waiting on it, and only once', async () => {
    const home = await tempDir('dlq-alarm');
    const target = await refusingTarget();
    const rt = await EmbeddedRuntime.open({ home, consoleAlerts: false, backoffBaseMs: 20, backoffMaxMs: 500, watch: false, dlqAlarmIntervalMs: 50 });
    try {
      await rt.bus.putRule({ Name: 'alarm-hook', EventBusName: localTopologyNames.busName, EventPattern: JSON.stringify({ source: ['alarm.test'] }) });
      await rt.bus.putTargets({ Rule: 'alarm-hook', EventBusName: localTopologyNames.busName, Targets: [{ Id: 'hook', Arn: target.url, DeadLetterConfig: { Arn: deadLetterQueueArn('alarm-hook-dlq') } }] });
      await rt.bus.putEvents([{ Source: 'alarm.test', DetailType: 'Poke', Detail: '{}', EventBusName: localTopologyNames.busName }]);
      // No waitUntilQuiescent: as under `tributary up`, only the alarm's own polling can page.
      while ((await deliveryAlerts(home)).length === 0) await new Promise((r) => setTimeout(r, 50));
      // Later ticks and a concurrent explicit check page nothing more for the same message.
      await Promise.all([rt.waitUntilQuiescent({ failStalled: false }), new Promise((r) => setTimeout(r, 300))]);
      expect(await deliveryAlerts(home)).toEqual([expect.objectContaining({ detail: expect.objectContaining({ errorClass: 'delivery', stage: 'hook' }) })]);
    } finally {
      await rt.close();
      await target.close();
    }
  });
});
