import '../../../integration/quiet-logs';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { failStalledRuns } from '../../../../handlers/stage-kit/fail-stalled-runs';
import { localStageDeadlines } from '../../../../infra/local/runtime/stage-deadlines';
import { openRuntime, tempDirs } from '../../../integration/pipeline-harness';

jest.setTimeout(120_000);

const landing = (runId: string, key: string) => ({
  runId,
  dataset: 'traffic',
  object: { bucket: 'tributary-raw', key, etag: `etag-${runId}`, size: 10 },
  landedAt: '2026-01-05T10:00:00.000Z',
});

/** DESIGN.md invariant 1: every run ends or alerts; a run nothing can move is failed as stalled, loudly. */
describe('the watchdog', () => {
  const dir = tempDirs();

  it('fails, once quiescent, a run that nothing is left to move, naming the stage it waits on, and alerts', async () => {
    const home = await dir('watchdog');
    const rt = await openRuntime(home);
    try {
      // A registered run whose crawl request was lost: nothing will ever crawl it.
      await rt.deps.runs.recordLanding(landing('run-lost', 'traffic/2026/01/05/10/lost.jsonl'));
      await rt.deps.runs.transition({ runId: 'run-lost', stage: 'register-landing', status: 'succeeded', at: '2026-01-05T10:00:01.000Z' });
      expect(await rt.waitUntilQuiescent({ timeoutMs: 60_000 })).toBe(true);
      const run = (await rt.deps.runs.getRun('run-lost'))?.run;
      expect(run).toMatchObject({ lastStage: 'announce-crawl', lastStatus: 'failed', error: { errorClass: 'stalled', retryable: false } });
      expect(run?.error?.message).toMatch(/waits on stage announce-crawl since .*nothing is left running that could move it/);
      const alerts = (await fs.readFile(path.join(home, 'alerts.jsonl'), 'utf8')).split('\n').filter((l) => l.includes('run-lost'));
      expect(alerts).toHaveLength(1);
      expect(JSON.parse(alerts[0] ?? '{}')).toMatchObject({ detail: { stage: 'announce-crawl', errorClass: 'stalled', inspect: 'tributary run run-lost' } });
      // Failed runs are terminal: a second wait finds nothing more to fail.
      expect(await rt.waitUntilQuiescent({ timeoutMs: 60_000 })).toBe(true);
      expect((await fs.readFile(path.join(home, 'alerts.jsonl'), 'utf8')).split('\n').filter((l) => l.includes('run-lost'))).toHaveLength(1);
    } finally {
      await rt.close();
    }
  });

  it('fails a run past its stage deadline while the pipeline is busy, and leaves younger runs alone', async () => {
    const home = await dir('watchdog-deadline');
    const rt = await openRuntime(home);
    try {
      await rt.deps.runs.recordLanding(landing('run-old', 'traffic/2026/01/05/10/old.jsonl'));
      await rt.deps.runs.transition({ runId: 'run-old', stage: 'announce-crawl', status: 'succeeded', at: '2026-01-05T10:00:00.000Z' });
      await rt.deps.runs.recordLanding(landing('run-young', 'traffic/2026/01/05/11/young.jsonl'));
      await rt.deps.runs.transition({ runId: 'run-young', stage: 'announce-crawl', status: 'succeeded', at: '2026-01-05T10:50:00.000Z' });
      const clock = () => new Date('2026-01-05T11:00:00.000Z');
      const failed = await failStalledRuns({ ...rt.deps, clock }, { deadlineMs: localStageDeadlines('refine=1800') });
      expect(failed.map((r) => r.runId)).toEqual(['run-old']);
      expect((await rt.deps.runs.getRun('run-old'))?.run).toMatchObject({ lastStage: 'refine', lastStatus: 'failed', error: { errorClass: 'stalled' } });
      expect((await rt.deps.runs.getRun('run-old'))?.run.error?.message).toContain("past the stage's deadline of 1800 s");
      expect((await rt.deps.runs.getRun('run-young'))?.run).toMatchObject({ lastStage: 'announce-crawl', lastStatus: 'succeeded' });
    } finally {
      await rt.close();
    }
  });

  it("takes a stage's deadline from the dataset's manifest before the realisation's", async () => {
    const home = await dir('watchdog-manifest');
    const rt = await openRuntime(home);
    try {
      const getDataset = rt.deps.datasets.getDataset.bind(rt.deps.datasets);
      rt.deps.datasets.getDataset = async (name) => {
        const found = await getDataset(name);
        return found && { ...found, manifest: { ...found.manifest, deadlines: { refine: 2 } } };
      };
      await rt.deps.runs.recordLanding(landing('run-slow', 'traffic/2026/01/05/10/slow.jsonl'));
      await rt.deps.runs.transition({ runId: 'run-slow', stage: 'announce-crawl', status: 'succeeded', at: '2026-01-05T10:00:00.000Z' });
      const clock = () => new Date('2026-01-05T10:03:00.000Z');
      expect((await failStalledRuns({ ...rt.deps, clock }, { deadlineMs: localStageDeadlines('') })).map((r) => r.runId)).toEqual(['run-slow']);
      expect((await rt.deps.runs.getRun('run-slow'))?.run.error?.message).toContain("past the stage's deadline of 120 s");
    } finally {
      await rt.close();
    }
  });

  it('reads deadlines from TRIBUTARY_STAGE_DEADLINES and refuses a malformed one', () => {
    const deadline = localStageDeadlines('refine=60, *=5');
    expect(deadline('refine')).toBe(60_000);
    expect(deadline('forecast')).toBe(5_000);
    expect(localStageDeadlines(undefined)('announce-crawl')).toBe(15 * 60_000);
    expect(() => localStageDeadlines('refine=soon')).toThrow(/TRIBUTARY_STAGE_DEADLINES: expected stage=seconds pairs such as refine=3600, got "refine=soon"/);
  });
});
