import './quiet-logs';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { StageId } from '../../events/stage-ids';
import { stages } from '../../handlers/stages';
import type { EmbeddedRuntime } from '../../infra/local/runtime/embedded-runtime';
import { generateTrafficSample } from '../../infra/shipped/traffic-sample';
import { allRuns, dropFiles, openRuntime, readSample, runCensus, settle, tempDir } from './pipeline-harness';

/** What one fresh home did for a sample of `files` files: DynamoDB calls by command, and publish-views outcomes. */
interface Counts {
  readonly files: number;
  readonly calls: Record<string, number>;
  readonly viewFailures: string[];
  readonly viewSuccesses: number;
  /** `CREATE OR REPLACE VIEW` statements run. */
  readonly viewStatements: number;
}

/** Counts every DynamoDB command the home's stores send (the watcher's and the stages' share one client). */
function countDynamoCalls(rt: EmbeddedRuntime): Record<string, number> {
  const calls: Record<string, number> = {};
  const client = (Reflect.get(rt, 'dynamo') as { client: DynamoDBClient }).client;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? '?';
      calls[name] = (calls[name] ?? 0) + 1;
      return next(args);
    },
    { step: 'initialize', name: 'countCalls' },
  );
  return calls;
}

async function runHome(root: string, filesPerHour: number): Promise<Counts> {
  const sampleDir = path.join(root, `sample-${filesPerHour}`);
  const sample = await generateTrafficSample({ outDir: sampleDir, sensors: 2, hours: 6, filesPerHour, seed: 11 });
  const home = path.join(root, `home-${filesPerHour}`);
  const rt = await openRuntime(home);
  try {
    const calls = countDynamoCalls(rt);
    const viewFailures: string[] = [];
    let viewSuccesses = 0;
    let viewStatements = 0;
    const start = rt.deps.query.startQueryExecution.bind(rt.deps.query);
    rt.deps.query.startQueryExecution = async (input) => {
      if (/^\s*(--[^\n]*\n\s*)*CREATE OR REPLACE VIEW/i.test(input.QueryString)) viewStatements++;
      return start(input);
    };
    rt.bus.registerStageHandler(StageId.PublishViews, async (event) => {
      try {
        await stages[StageId.PublishViews](event, rt.deps);
        viewSuccesses++;
      } catch (err) {
        viewFailures.push(err instanceof Error ? err.message : String(err));
        throw err;
      }
    });
    await dropFiles(home, await readSample(sampleDir, sample.keys));
    await settle(rt);
    expect(runCensus(await allRuns(rt))).toEqual({ 'forecast:succeeded': sample.files });
    return { files: sample.files, calls: { ...calls }, viewFailures, viewSuccesses, viewStatements };
  } finally {
    await rt.close();
  }
}

/** Issue 14, work proportional to what changed: counts, not times. */
describe('a fresh home at two sizes', () => {
  jest.setTimeout(240_000);
  let root = '';
  let small: Counts;
  let large: Counts;
  beforeAll(async () => {
    root = await tempDir('scale-counts');
    small = await runHome(root, 2);
    large = await runHome(root, 8);
  });
  afterAll(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('publishes the views once their table exists: no publish-views failure or retry', () => {
    expect(small.viewFailures).toEqual([]);
    expect(large.viewFailures).toEqual([]);
    expect(small.viewSuccesses).toBeGreaterThan(0);
  });

  it('publishes each view a fixed number of times, not once per file or per crawl', () => {
    // Two views; republished only by a crawl that added columns (the tables' creation).
    expect(small.viewStatements).toBeGreaterThanOrEqual(2);
    expect(large.viewStatements).toBe(small.viewStatements);
  });

  it('writes run state at a constant cost per file, whatever the number of files', () => {
    const total = (c: Counts): number => Object.values(c.calls).reduce((a, b) => a + b, 0);
    const perFile = (c: Counts): number => total(c) / c.files;
    expect(large.files).toBeGreaterThanOrEqual(3 * small.files);
    // Calls per file do not grow with the number of files (fixed costs only fall when spread thinner).
    expect(perFile(large)).toBeLessThanOrEqual(perFile(small) * 1.05);
  });
});
