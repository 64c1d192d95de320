/** The runs page's state as its URL hash holds it: the filters (ISO times) and the page's offset. */
export interface RunsQuery {
  readonly dataset: string;
  readonly status: string;
  readonly stage: string;
  readonly from: string;
  readonly to: string;
  readonly offset: number;
}

/** The runs page's query from a hash `#/runs[/<id>]?dataset=…&offset=…` (absent fields empty, a bad offset 0). */
export function readRunsQuery(hash: string): RunsQuery {
  const at = hash.indexOf('?');
  const q = new URLSearchParams(at < 0 ? '' : hash.slice(at + 1));
  const offset = Number(q.get('offset') ?? '0');
  return {
    dataset: q.get('dataset') ?? '',
    status: q.get('status') ?? '',
    stage: q.get('stage') ?? '',
    from: q.get('from') ?? '',
    to: q.get('to') ?? '',
    offset: Number.isSafeInteger(offset) && offset > 0 ? offset : 0,
  };
}

/** The hash that shows `query` (and run `runId`, if given): only the fields that are set. */
export function runsHash(query: RunsQuery, runId?: string): string {
  const q = new URLSearchParams();
  for (const key of ['dataset', 'status', 'stage', 'from', 'to'] as const) if (query[key] !== '') q.set(key, query[key]);
  if (query.offset > 0) q.set('offset', String(query.offset));
  const text = q.toString();
  return `#/runs${runId === undefined ? '' : `/${encodeURIComponent(runId)}`}${text === '' ? '' : `?${text}`}`;
}
