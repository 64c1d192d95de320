import { tickDueFor } from '../../../handlers/stage-kit/batch-trigger';
import type { RunSummary } from '../../../handlers/ports/run-store';

const run = (lastStage: string, updatedAt: string): RunSummary => ({
  runId: 'r1', dataset: 'd', object: { bucket: 'b', key: 'd/x.jsonl', etag: 'e', size: 1 }, landedAt: updatedAt, updatedAt, lastStage, lastStatus: 'succeeded',
}) as RunSummary;

describe('tickDueFor', () => {
  it('is the first slot of the batch schedule after a registered run last moved; none without a trigger or once the raw crawl covered it', () => {
    expect(tickDueFor({ trigger: { schedule: 'cron(0 * * * ? *)' } }, run('register-landing', '2026-03-02T08:20:00.000Z'))).toBe(Date.parse('2026-03-02T09:00:00.000Z'));
    expect(tickDueFor({ trigger: { schedule: 'rate(1 hour)' } }, run('register-landing', '2026-03-02T08:20:00.000Z'))).toBe(Date.parse('2026-03-02T09:20:00.000Z'));
    expect(tickDueFor({}, run('register-landing', '2026-03-02T08:20:00.000Z'))).toBeUndefined();
    expect(tickDueFor({ trigger: { schedule: 'rate(1 hour)' } }, run('announce-crawl', '2026-03-02T08:20:00.000Z'))).toBeUndefined();
  });
});
