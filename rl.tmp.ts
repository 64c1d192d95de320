import { promises as fs } from 'node:fs';
import * as path from 'node:path';
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
async function main() {
  const { EmbeddedRuntime } = await import('/work/main/infra/local/runtime/embedded-runtime');
  const { refine } = await import('/work/main/handlers/refine');
  const { ruleTable } = await import('/work/main/events/rules');
  const { StageId } = await import('/work/main/events/stage-ids');
  const home = '/tmp/bighome';
  const fresh = !(await fs.stat(home).catch(() => undefined));
  const rt = await EmbeddedRuntime.open({ home, consoleAlerts: false });
  const forecastRule = ruleTable().find((row) => row.target === StageId.Forecast);
  if (forecastRule) await rt.bus.removeTargets({ Rule: forecastRule.id, EventBusName: forecastRule.eventBusName, Ids: [forecastRule.target] });
  if (fresh) {
    await fs.cp('/tmp/big/traffic', path.join(home, 'lake', 'raw', 'traffic.tmp'), { recursive: true });
    await fs.rename(path.join(home, 'lake', 'raw', 'traffic.tmp'), path.join(home, 'lake', 'raw', 'traffic'));
    const t = Date.now();
    await rt.waitUntilQuiescent({ timeoutMs: 30 * 60_000 });
    console.log('first pass', Date.now() - t);
  }
  const ids: string[] = [];
  let cursor: string | undefined;
  do { const page = await rt.deps.runs.listRuns({ limit: 500, ...(cursor ? { cursor } : {}) }); ids.push(...page.runs.map((r) => r.runId)); cursor = page.cursor; } while (cursor);
  ids.sort();
  for (let r = 0; r < Number(process.argv[2] ?? 2); r++) {
    const order = [...ids.slice(r + 1), ...ids.slice(0, r + 1)];
    let done: () => void = () => undefined;
    const finished = new Promise<void>((res) => (done = res));
    const off = rt.bus.onEvent(({ event }) => { if (event['detail-type'] === 'RefinedWritten' && JSON.stringify((event.detail as { runIds: string[] }).runIds) === JSON.stringify(order)) done(); });
    const start = Date.now();
    await refine({ dataset: 'traffic', runIds: order }, rt.deps);
    const started = Date.now();
    await finished;
    console.log(`refine ${(Date.now() - start) / 1000} s (stage ${(started - start) / 1000} s)`);
    off();
    await rt.waitUntilQuiescent({ timeoutMs: 600_000 });
  }
  await rt.close();
}
main();
