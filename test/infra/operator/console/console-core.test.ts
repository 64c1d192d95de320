import * as http from 'node:http';
import { z } from 'zod';
import { StageId } from '../../../../events/stage-ids';
import { ruleTable } from '../../../../events/rules';
import { startConsoleHarness, type ConsoleHarness } from './console-harness';

let h: ConsoleHarness;

beforeAll(async () => {
  h = await startConsoleHarness();
}, 180_000);

afterAll(async () => {
  await h?.close();
});

/** GETs a URL with a forged Host header (fetch will not send one), resolving with the status. */
function statusWithHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers: { host } }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    }).on('error', reject);
  });
}

const RunsSchema = z.object({ total: z.number(), runs: z.array(z.object({ runId: z.string() })) });

describe('the console shell', () => {
  test('`tributary console` prints the console URL with the token in the fragment', () => {
    expect(h.consoleCommandOutput).toBe(`${h.url}/#token=${h.token}`);
  });

  test('the page draws the nav and knows whether its token is accepted', async () => {
    const page = await h.openPage('pipeline');
    expect(await page.locator('.topbar nav a').allTextContents()).toEqual(expect.arrayContaining(['Pipeline', 'Runs']));
    await page.getByTestId('session').getByText('actions enabled').waitFor();
    expect(page.url()).not.toContain('token');
    await page.close();
    const readOnly = await h.openPage('pipeline', { withToken: false });
    await readOnly.getByTestId('session').getByText('read-only').waitFor();
    await readOnly.close();
  });

  test('actions need the token and every request a loopback Host', async () => {
    expect((await fetch(`${h.url}/api/session`)).status).toBe(401);
    expect((await fetch(`${h.url}/api/session`, { headers: { authorization: `Bearer ${h.token}` } })).status).toBe(200);
    expect(await statusWithHost(`${h.url}/api/health`, 'attacker.example')).toBe(403);
    expect(await statusWithHost(`${h.url}/`, 'attacker.example:80')).toBe(403);
  });

  test('the page receives the events the bus accepts over /api/events/stream', async () => {
    const page = await h.openPage('runs');
    await page.evaluate(`new Promise((resolve) => {
      window.__seen = [];
      const source = new EventSource('/api/events/stream');
      source.addEventListener('events', (e) => window.__seen.push(...JSON.parse(e.data).events.map((a) => a.event['detail-type'])));
      source.addEventListener('hello', () => resolve(true));
    })`);
    const put = await fetch(h.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSEvents.PutEvents' },
      body: JSON.stringify({ Entries: [{ Source: 'test.console', DetailType: 'Console Probe', Detail: '{}', EventBusName: 'tributary' }] }),
    });
    expect(put.status).toBe(200);
    await page.waitForFunction(`window.__seen.includes('Console Probe')`);
    await page.close();
  });
});

describe('the pipeline page', () => {
  test('draws a node per stage and per rule, and a rule shows its pattern and counts', async () => {
    const page = await h.openPage('pipeline');
    await page.locator('svg[aria-label="pipeline graph"] g.node').first().waitFor();
    const rows = ruleTable();
    for (const stage of new Set(rows.map((r) => r.target))) await page.locator(`g.node[data-node-id="stage:${stage}"]`).waitFor();
    expect(await page.locator('g.node.rule').count()).toBe(rows.length);
    expect(await page.locator('g.node.dlq').count()).toBe(rows.length);
    await page.locator('g.node.rule[data-node-id="rule:raw-object-created"] text.sub').getByText(/224 matched/).waitFor();
    await page.locator('g.node[data-node-id="rule:raw-object-created"]').click();
    const panel = page.getByTestId('rule-panel');
    await panel.getByText('Object Created').first().waitFor();
    expect(await panel.getByTestId('rule-pattern').textContent()).toContain('"aws.s3"');
    await panel.locator('table[aria-label="recent matches"] tbody tr td').getByText('Object Created').first().waitFor();
    await page.locator(`table[aria-label="stage latency"] td`).getByText(StageId.Refine, { exact: true }).waitFor();
    await h.screenshot(page, 'pipeline');
    await page.close();
  });
});

describe('the runs page', () => {
  test('lists the demo runs, pages on the server, and shows a run with its timeline, lineage and rows', async () => {
    const all = RunsSchema.parse(await h.api('/api/runs?limit=5'));
    expect(all.total).toBe(224);
    const page = await h.openPage('runs');
    const table = page.locator('table[aria-label="runs"]');
    await table.locator('tbody tr.clickable').first().waitFor();
    expect(await table.locator('tbody tr').count()).toBe(25);
    await page.getByText('1–25 of 224').waitFor();
    await page.getByRole('button', { name: 'Older ›' }).click();
    await page.getByText('26–50 of 224').waitFor();
    const detail = page.getByTestId('run-detail');
    await detail.locator('canvas[aria-label="stage timeline"][data-drawn="true"]').waitFor();
    const lineage = await detail.getByTestId('lineage').textContent();
    expect(lineage).toMatch(/refined partition year=\d{4}\/month=\d{2}\/day=\d{2}\/hour=\d{2}/);
    expect(lineage).toMatch(/forecast s3:\/\/tributary-forecast\/traffic\//);
    await detail.getByTestId('row-accounting').getByText('balanced').waitFor();
    await page.locator('select[name="status"]').selectOption('failed');
    await page.getByText('No run matches these filters.').waitFor();
    await page.locator('select[name="status"]').selectOption('');
    await table.locator('tbody tr.clickable').first().waitFor();
    await h.screenshot(page, 'runs');
    await page.close();
  });
});
