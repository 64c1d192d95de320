import { StageStatus, type RunSummary } from '../../../handlers/ports/run-store';

/** Which runs to list: each given field narrows the list; times bound `landedAt` (ISO, `[from, to)`). */
export interface RunFilter {
  readonly dataset?: string;
  readonly status?: StageStatus;
  readonly stage?: string;
  readonly from?: string;
  readonly to?: string;
}

/** One page of a filtered run list, newest first, with the total and what the filters can choose from. */
export interface RunListPage {
  readonly total: number;
  readonly offset: number;
  readonly runs: readonly RunSummary[];
  /** Every dataset and last stage present in the unfiltered list, sorted, and every status a stage can have. */
  readonly facets: { readonly datasets: readonly string[]; readonly stages: readonly string[]; readonly statuses: readonly string[] };
}

/** True when a run passes every given field of the filter. */
export function runMatches(run: RunSummary, filter: RunFilter): boolean {
  if (filter.dataset !== undefined && run.dataset !== filter.dataset) return false;
  if (filter.status !== undefined && run.lastStatus !== filter.status) return false;
  if (filter.stage !== undefined && run.lastStage !== filter.stage) return false;
  if (filter.from !== undefined && Date.parse(run.landedAt) < Date.parse(filter.from)) return false;
  if (filter.to !== undefined && Date.parse(run.landedAt) >= Date.parse(filter.to)) return false;
  return true;
}

/**
 * Filters a newest-first run list and cuts one page of it (`offset`, `limit`): what `tributary runs`
 * prints and the console's runs page shows, so both list the same runs for the same filter.
 */
export function pageRuns(all: readonly RunSummary[], filter: RunFilter, page: { offset: number; limit: number }): RunListPage {
  const matching = all.filter((r) => runMatches(r, filter));
  const sorted = (values: Iterable<string | undefined>): string[] => [...new Set([...values].filter((v): v is string => v !== undefined))].sort();
  return {
    total: matching.length,
    offset: page.offset,
    runs: matching.slice(page.offset, page.offset + page.limit),
    facets: { datasets: sorted(all.map((r) => r.dataset)), stages: sorted(all.map((r) => r.lastStage)), statuses: Object.values(StageStatus) },
  };
}
