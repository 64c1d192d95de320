import * as http from 'node:http';
import { z } from 'zod';
import { StageId } from '../../../../events/stage-ids';
import { ruleTable } from '../../../../events/rules';
import * as path from 'node:path';
import { SCREENSHOT_DIR, startConsoleHarness, type ConsoleHarness } from './console-harness';

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
    // Every step of a run's chain has a latency, the announcements and the crawl request included.
    for (const stage of [StageId.RegisterLanding, StageId.RequestCrawl, StageId.AnnounceCrawl, StageId.Refine, StageId.AnnounceRefined, StageId.Forecast, StageId.AnnounceForecast]) {
      await page.locator(`table[aria-label="stage latency"] td`).getByText(stage, { exact: true }).waitFor();
    }
    await h.screenshot(page, 'pipeline');
    await page.locator('table[aria-label="stage latency"]').screenshot({ path: path.join(SCREENSHOT_DIR, 'pipeline-stage-latency.png') });
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
    expect(lineage).toMatch(/refined partitions? of tributary_refined\.traffic\s*year=\d{4}\/month=\d{2}\/day=\d{2}\/hour=\d{2}/);
    expect(lineage).toMatch(/forecast s3:\/\/tributary-forecast\/traffic\//);
    expect(await detail.getByTestId('catalog-link').evaluateAll((links) => links.map((a) => a.getAttribute('href')))).toEqual(expect.arrayContaining(['#/catalog/tributary_raw/traffic', '#/catalog/tributary_refined/traffic', '#/catalog/tributary_forecast/traffic']));
    await detail.getByTestId('row-accounting').getByText('balanced').waitFor();
    // The page is in the hash: filters and offset can be shared.
    expect(page.url()).toMatch(/#\/runs(\/[^?]+)?\?offset=25$/);
    await page.locator('select[name="status"]').selectOption('failed');
    await page.getByText('No run matches these filters.').first().waitFor();
    expect(page.url()).toMatch(/#\/runs\?status=failed$/);
    await page.getByTestId('run-empty').getByRole('button', { name: 'Clear filters' }).waitFor();
    await h.screenshot(page, 'runs-no-match');
    await page.locator('select[name="status"]').selectOption('');
    await table.locator('tbody tr.clickable').first().waitFor();
    await h.screenshot(page, 'runs');
    await page.close();
  });

  test('a run shows every step of its chain, waiting apart from working, and a shared filter opens as sent', async () => {
    const first = RunsSchema.parse(await h.api('/api/runs?limit=1')).runs[0]?.runId ?? '';
    const view = RunViewSpansSchema.parse(await h.api(`/api/runs/${first}`));
    const stages = view.spans.map((s) => s.stage);
    for (const stage of [StageId.RegisterLanding, StageId.RequestCrawl, StageId.AnnounceCrawl, StageId.Refine, StageId.AnnounceRefined, StageId.Forecast, StageId.AnnounceForecast]) expect(stages).toContain(stage);
    for (const s of view.spans) expect(s.queuedMs <= s.startMs && s.startMs <= s.endMs).toBe(true);
    // The chain runs in order from the landing to ForecastReady.
    const at = (stage: string) => view.spans.find((s) => s.stage === stage)?.startMs ?? -1;
    expect(at(StageId.RegisterLanding)).toBeLessThanOrEqual(at(StageId.RequestCrawl));
    expect(at(StageId.AnnounceCrawl)).toBeLessThanOrEqual(at(StageId.Refine));
    expect(at(StageId.Refine)).toBeLessThanOrEqual(at(StageId.AnnounceRefined));
    expect(at(StageId.Forecast)).toBeLessThanOrEqual(at(StageId.AnnounceForecast));

    const page = await h.openPage('runs?dataset=traffic&status=succeeded', { width: 1280, height: 800 });
    const detail = page.getByTestId('run-detail');
    await detail.locator('canvas[aria-label="stage timeline"][data-drawn="true"]').waitFor();
    expect(await page.locator('select[name="status"]').inputValue()).toBe('succeeded');
    expect(await page.locator('select[name="dataset"]').inputValue()).toBe('traffic');
    const stageRows = await detail.locator('table[aria-label="stages"] tbody tr td:first-child').allTextContents();
    expect(stageRows).toEqual(expect.arrayContaining([StageId.RequestCrawl, StageId.AnnounceRefined, StageId.AnnounceForecast]));
    // The first run is selected by default; its object's full key is in the panel and the list's tooltip.
    const firstRow = page.locator('table[aria-label="runs"] tbody tr.clickable').first();
    expect(await firstRow.getAttribute('class')).toContain('selected');
    const key = await detail.getByTestId('run-object').textContent();
    expect(key).toMatch(/^s3:\/\/tributary-raw\/traffic\/.+\.jsonl$/);
    expect(await firstRow.locator('td span.truncate').getAttribute('title')).toBe(key);
    await h.screenshot(page, 'runs-1280');
    await detail.screenshot({ path: path.join(SCREENSHOT_DIR, 'runs-1280-run-panel.png') });
    // At 1280 wide the list fits its panel: the status column is not cut off.
    const widths = await page.locator('table[aria-label="runs"]').evaluate((t) => [t.scrollWidth, t.parentElement?.clientWidth ?? 0]);
    expect(widths[0]).toBeLessThanOrEqual(widths[1] ?? 0);
    await page.close();
  });
});

const RunViewSpansSchema = z.object({ spans: z.array(z.object({ stage: z.string(), queuedMs: z.number(), startMs: z.number(), endMs: z.number() })) });
