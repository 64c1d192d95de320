import { EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { localTopologyNames } from '../../../../events/topology-names';
import { deadLetterQueueArn } from '../../../../infra/emulators/bus/bus-arns';
import { DEFAULT_TRAFFIC_SAMPLE } from '../../../../infra/shipped/traffic-sample';
import { startConsoleHarness, type ConsoleHarness } from './console-harness';
import { refusingTarget } from '../../../integration/refusing-target';

let h: ConsoleHarness;

beforeAll(async () => {
  h = await startConsoleHarness();
}, 240_000);

afterAll(async () => {
  await h?.close();
});

const AlertsSchema = z.object({ alerts: z.array(z.object({ detail: z.object({ errorClass: z.string() }) })) });
const DeadLettersSchema = z.object({ messages: z.array(z.object({ queue: z.string(), error: z.string(), message: z.string() })) });

/** A time as a `datetime-local` input takes it, in the browser's (and this process's) zone. */
function localInput(d: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** Polls `read` until `done` holds for its value (the pipeline runs in another process). */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('the events page', () => {
  test('shows EventBridge\'s reason for an invalid pattern and filters the history with a valid one', async () => {
    const page = await h.openPage('events');
    await page.getByRole('listitem').first().waitFor();
    await page.getByLabel('Event pattern').fill('{"source": "tributary.pipeline"}');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('alert').getByText('Event pattern is not valid. Reason: "source" must be an object or an array').waitFor();
    await page.getByLabel('Event pattern').fill('{"source": ["tributary.pipeline"], "detail-type": [{"anything-but": "RawLanded"}]}');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('alert').waitFor({ state: 'detached' });
    await page.getByRole('list', { name: 'archived events' }).getByRole('listitem').filter({ hasText: 'ForecastReady' }).first().click();
    await page.locator('pre.json').getByText('"detail-type": "ForecastReady"').waitFor();
    await h.screenshot(page, 'events');
    await page.getByLabel('Event pattern').fill('{"detail-type": ["TableCrawled"], "detail": {"zone": ["refined"]}}');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('alert').waitFor({ state: 'detached' });
    const list = page.getByRole('list', { name: 'archived events' });
    await list.getByRole('listitem').filter({ hasNotText: 'traffic · refined' }).first().waitFor({ state: 'detached' });
    await list.getByRole('listitem').first().waitFor();
    const rows = await list.getByRole('listitem').allTextContents();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row).toMatch(/TableCrawled.*refined/);
    await list.getByRole('listitem').first().click();
    await page.locator('pre.json').getByText('"zone": "refined"').waitFor();

    const replay = page.getByRole('form', { name: 'replay' });
    await replay.getByLabel('Event time from').fill(localInput(new Date(Date.now() - 86_400_000)));
    await replay.getByLabel('until').fill(localInput(new Date(Date.now() + 60_000)));
    await replay.getByLabel('Rule').selectOption('stage-failed-alert');
    await replay.getByRole('button', { name: 'Replay' }).click();
    await replay.getByText('COMPLETED').waitFor();

    await page.getByLabel('Event pattern').fill('{"source": ["console.test"]}');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('button', { name: /^Live tail/ }).click();
    const live = page.getByRole('list', { name: 'live events' });
    await live.getByText('Waiting for events').waitFor();
    await page.getByTestId('tail-connected').waitFor();
    const eventBridge = new EventBridgeClient({ endpoint: h.url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    const bus = localTopologyNames.busName;
    await eventBridge.send(new PutEventsCommand({ Entries: [{ Source: 'other.test', DetailType: 'Not shown', Detail: '{}', EventBusName: bus }] }));
    await eventBridge.send(new PutEventsCommand({ Entries: [{ Source: 'console.test', DetailType: 'Tail check', Detail: '{}', EventBusName: bus }] }));
    await live.getByRole('listitem').getByText('Tail check').waitFor();
    expect(await live.getByRole('listitem').allTextContents()).toEqual([expect.stringContaining('Tail check')]);
    await page.close();
  });
});

describe('the dead letters and alerts page', () => {
  test('lists a real dead letter with its error attributes and alert, and Redrive all empties the DLQ', async () => {
    const hook = await refusingTarget();
    try {
      const eventBridge = new EventBridgeClient({ endpoint: h.url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
      const bus = localTopologyNames.busName;
      await eventBridge.send(new PutRuleCommand({ Name: 'console-hook', EventBusName: bus, EventPattern: JSON.stringify({ source: ['console.test'] }) }));
      await eventBridge.send(new PutTargetsCommand({ Rule: 'console-hook', EventBusName: bus, Targets: [{ Id: 'hook', Arn: hook.url, DeadLetterConfig: { Arn: deadLetterQueueArn('console-hook-dlq') } }] }));
      await eventBridge.send(new PutEventsCommand({ Entries: [{ Source: 'console.test', DetailType: 'Poke', Detail: '{"n": 1}', EventBusName: bus }] }));
      await until(async () => DeadLettersSchema.parse(await h.api('/api/dead-letters')).messages, (m) => m.length === 1);
      // `up` raises DLQ alarms as it checks for quiescence, which `tributary wait` asks for (exit 1: a delivery is dead-lettered).
      await expect(h.cli(['wait', '--timeout', '60'])).rejects.toMatchObject({ code: 1 });
      await until(async () => AlertsSchema.parse(await h.api('/api/alerts')).alerts, (a) => a.some((x) => x.detail.errorClass === 'delivery'));

      const page = await h.openPage('dead-letters');
      const table = page.getByRole('table', { name: 'dead letters' });
      await table.getByText('console-hook-dlq').waitFor();
      await table.getByText('NonRetryableError').waitFor();
      await table.getByText(/400/).waitFor();
      await page.getByLabel('alerts').getByText('delivery').first().waitFor();
      await h.screenshot(page, 'dead-letters');

      hook.accept.on = true;
      await page.getByRole('button', { name: 'Redrive all' }).click();
      await page.getByRole('status').getByText('Redrove 1 message(s).').waitFor();
      await page.getByTestId('dead-letter-count').getByText('0').waitFor();
      expect(DeadLettersSchema.parse(await h.api('/api/dead-letters')).messages).toEqual([]);
      await until(async () => hook.received.length, (n) => n === 1);
      await page.close();
    } finally {
      await hook.close();
    }
  }, 180_000);
});

describe('the catalog page', () => {
  test('lists traffic\'s columns with their types and its partitions', async () => {
    const page = await h.openPage('catalog/tributary_refined.traffic');
    const columns = page.getByRole('table', { name: 'columns' });
    await columns.getByRole('row', { name: 'currentspeed bigint' }).waitFor();
    await columns.getByRole('row', { name: 'eventtime timestamp' }).waitFor();
    await columns.getByRole('row', { name: 'hour string partition key' }).waitFor();
    const hours = DEFAULT_TRAFFIC_SAMPLE.hours;
    await page.getByText(`Partitions (${hours})`).waitFor();
    await page.getByRole('table', { name: 'partitions' }).getByRole('cell', { name: 's3://tributary-refined/traffic/year=2026/month=01/day=05/hour=00/' }).waitFor();
    await page.getByRole('list', { name: 'schema changes' }).getByText('uniqueid string').waitFor();
    // The list of databases and tables beside it (read with every schema change) is in the screenshot too.
    await page.getByText(/\d+ databases · \d+ tables and views/).waitFor();
    await h.screenshot(page, 'catalog');
    await page.close();
  });
});

describe('the SQL page', () => {
  test('runs a query into a paged grid and a chart with a point per row, and downloads it as CSV', async () => {
    const page = await h.openPage('sql');
    await page.getByRole('button', { name: 'Run' }).click();
    const points = DEFAULT_TRAFFIC_SAMPLE.hours * 3;
    await page.getByRole('status').getByText(`${points} row(s)`).waitFor();
    const chart = page.getByTestId('result-chart');
    await chart.and(page.locator(`[data-points="${points}"][data-series="3"]`)).waitFor();
    await chart.getByRole('img', { name: 'line chart of avg_speed by hour' }).waitFor();
    await page.getByRole('table', { name: 'results' }).getByRole('row').nth(15).waitFor();

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download CSV' }).click();
    const csv = await readFile(await (await download).path(), 'utf8');
    expect(csv.split('\r\n').filter((l) => l !== '')).toHaveLength(points + 1);
    expect(csv.startsWith('hour,uniqueid,avg_speed\r\n')).toBe(true);
    await h.screenshot(page, 'sql');

    await page.getByLabel('SQL').fill('SELECT uniqueid, avg(currentspeed) AS avg_speed FROM tributary_refined.traffic GROUP BY uniqueid ORDER BY uniqueid');
    await page.getByRole('button', { name: 'Run' }).click();
    await page.getByRole('status').getByText(`${DEFAULT_TRAFFIC_SAMPLE.sensors} row(s)`).waitFor();
    await page.getByRole('combobox', { name: 'Kind' }).selectOption('bar');
    await page.locator(`[data-testid="result-chart"][data-points="${DEFAULT_TRAFFIC_SAMPLE.sensors}"]`).getByRole('img', { name: 'bar chart of avg_speed by uniqueid' }).waitFor();
    await page.getByLabel('SQL').fill('DROP TABLE tributary_refined.traffic');
    await page.getByRole('button', { name: 'Run' }).click();
    await page.getByRole('alert').waitFor();
    await page.close();
  });
});

describe('the forecasts page', () => {
  test('charts a series\' actual and predicted values with the model\'s backtest', async () => {
    const page = await h.openPage('forecasts');
    const chart = page.getByTestId('forecast-chart');
    await chart.getByRole('img').waitFor();
    expect((await chart.getAttribute('data-series'))?.split('|').slice(0, 2)).toEqual(['actual', 'predicted']);
    expect(Number(await chart.getAttribute('data-actual'))).toBeGreaterThan(0);
    expect(Number(await chart.getAttribute('data-predicted'))).toBeGreaterThan(0);
    await page.getByRole('table', { name: 'backtest' }).getByText('chosen').waitFor();
    await page.getByRole('combobox', { name: /Series/ }).selectOption('["S002"]');
    await page.getByRole('heading', { name: 'traffic · S002 · currentspeed' }).waitFor();
    await page.getByRole('combobox', { name: /Series/ }).selectOption('["S001"]');
    await page.getByRole('heading', { name: 'traffic · S001 · currentspeed' }).waitFor();
    await h.screenshot(page, 'forecasts');
    await page.close();
  });
});
