import '../integration/quiet-logs';
import { handler, AWS_STAGE_DEADLINES_MS } from '../../handlers/watchdog';
import { openRuntime, tempDirs } from '../integration/pipeline-harness';

jest.setTimeout(120_000);

const scheduled = (time: string) => ({
  version: '0', id: 'e1', 'detail-type': 'Scheduled Event', source: 'aws.events', account: '000000000000', time, region: 'us-east-1',
  resources: ['arn:aws:events:us-east-1:000000000000:rule/tributary-watchdog-schedule'], detail: {},
});

describe('watchdog (the scheduled stage on AWS)', () => {
  const dir = tempDirs();

  it("fails runs past the AWS deadline of the stage they wait on, leaves younger ones, and refuses an event that is not a schedule's", async () => {
    const home = await dir('watchdog-stage');
    const rt = await openRuntime(home);
    try {
      const land = async (runId: string, at: string) => {
        await rt.deps.runs.recordLanding({ runId, dataset: 'traffic', object: { bucket: 'tributary-raw', key: `traffic/${runId}.jsonl`, etag: runId, size: 1 }, landedAt: at });
        await rt.deps.runs.transition({ runId, stage: 'register-landing', status: 'succeeded', at });
      };
      await land('run-old', '2026-01-05T08:00:00.000Z');
      await land('run-young', '2026-01-05T09:30:00.000Z');
      const now = new Date(Date.parse('2026-01-05T08:00:00.000Z') + (AWS_STAGE_DEADLINES_MS['announce-crawl'] ?? 0) + 60_000);
      await handler(scheduled(now.toISOString()), { ...rt.deps, clock: () => now });
      expect((await rt.deps.runs.getRun('run-old'))?.run).toMatchObject({ lastStage: 'announce-crawl', lastStatus: 'failed', error: { errorClass: 'stalled' } });
      expect((await rt.deps.runs.getRun('run-young'))?.run).toMatchObject({ lastStage: 'register-landing', lastStatus: 'succeeded' });
      await handler({ ...scheduled(now.toISOString()), source: 'aws.s3' }, { ...rt.deps, clock: () => now });
      expect((await rt.deps.runs.getRun('run-young'))?.run.lastStatus).toBe('succeeded');
    } finally {
      await rt.close();
    }
  });
});
