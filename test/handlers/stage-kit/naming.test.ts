import { queryTokenOf } from '../../../handlers/stage-kit/naming';

describe('queryTokenOf', () => {
  it('gives each job one token within Athena’s 32–128 characters, whatever the job id’s length', () => {
    for (const jobId of ['r', 'refine-0123456789abcdef', 'x'.repeat(127), 'y'.repeat(400)]) {
      const token = queryTokenOf(jobId);
      expect(token.length).toBeGreaterThanOrEqual(32);
      expect(token.length).toBeLessThanOrEqual(128);
      expect(queryTokenOf(jobId)).toBe(token);
    }
    expect(queryTokenOf('refine-0123456789abcdef')).toMatch(/^refine-0123456789abcdef-[0-9a-f]{64}$/);
    expect(queryTokenOf('refine-a')).not.toBe(queryTokenOf('refine-b'));
  });
});
