import type { RunStore, RunSummary } from '../ports/run-store';

/** Every run of run state, newest first, read page by page. */
export async function allRuns(runs: Pick<RunStore, 'listRuns'>): Promise<RunSummary[]> {
  const out: RunSummary[] = [];
  let cursor: string | undefined;
  do {
    const page = await runs.listRuns({ limit: 500, ...(cursor ? { cursor } : {}) });
    out.push(...page.runs);
    cursor = page.cursor;
  } while (cursor);
  return out;
}
