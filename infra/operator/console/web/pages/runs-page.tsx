import { apiPath } from '../kit/api';
import { formatCount, formatShortTime, formatTime } from '../kit/format';
import { PagedTable, type Column } from '../kit/paged-table';
import { StatusBadge } from '../kit/status-badge';
import { useApi } from '../kit/use-api';
import type { PageProps } from './page-entry';
import { RunDetailPanel } from './run-detail-panel';
import { RunListPageSchema, type RunSummary } from './runs-schemas';
import { readRunsQuery, runsHash, type RunsQuery } from './runs-query';

const PAGE_SIZE = 25;

const columns: readonly Column<RunSummary>[] = [
  { title: 'Landed', className: 'nowrap', cell: (r) => <span class="mono" title={formatTime(r.landedAt)}>{formatShortTime(r.landedAt)}</span> },
  { title: 'Dataset', cell: (r) => r.dataset },
  { title: 'Object', cell: (r) => <span class="mono truncate" title={`s3://${r.object.bucket}/${r.object.key}`}>{r.object.key.split('/').pop()}</span> },
  { title: 'Events from', className: 'nowrap', cell: (r) => <span class="mono" title={r.eventTimeRange ? `${formatTime(r.eventTimeRange.min)} → ${formatTime(r.eventTimeRange.max)}` : 'no event time'}>{formatShortTime(r.eventTimeRange?.min, { seconds: false })}</span> },
  { title: 'Last stage', className: 'nowrap', cell: (r) => <span title={r.error ? `${r.error.errorClass}: ${r.error.message}` : r.lastStage}><StatusBadge status={r.lastStatus} /> {r.lastStage ?? ''}</span> },
  { title: 'Rows', className: 'num', cell: (r) => (r.rowCounts ? formatCount(r.rowCounts.refined) : '') },
];

/** A `datetime-local` value as ISO (the browser's zone), or '' when empty or invalid. */
function toIso(local: string): string {
  const d = new Date(local);
  return local === '' || Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

/** An ISO instant as a `datetime-local` value in the browser's zone ('' when empty or invalid). */
function toLocalInput(iso: string): string {
  const d = new Date(iso);
  if (iso === '' || Number.isNaN(d.getTime())) return '';
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/**
 * Runs: every landed object's run, newest first, filtered and paged by the server (so 10,000 runs
 * cost one page); the selected run (the first of the page unless one is chosen) shows its stage
 * timeline, lineage and row accounting. The filters, the page and the run are in the URL hash
 * (`#/runs/<id>?dataset=…&status=…&stage=…&from=…&to=…&offset=…`), so a view can be shared.
 */
export function RunsPage(props: PageProps) {
  const query = readRunsQuery(window.location.hash);
  const list = useApi(apiPath('/api/runs', { ...query, offset: query.offset, limit: PAGE_SIZE }), RunListPageSchema);
  const chosen = props.subPath === '' ? undefined : props.subPath;
  const selected = chosen ?? list.data?.runs[0]?.runId;
  const go = (next: RunsQuery, runId?: string): void => {
    window.location.hash = runsHash(next, runId);
  };
  const set = (key: 'dataset' | 'status' | 'stage' | 'from' | 'to') => (e: Event) => {
    const target = e.currentTarget;
    if (target instanceof HTMLInputElement || target instanceof HTMLSelectElement) go({ ...query, [key]: key === 'from' || key === 'to' ? toIso(target.value) : target.value, offset: 0 });
  };
  const facets = list.data?.facets;
  const filtered = query.dataset !== '' || query.status !== '' || query.stage !== '' || query.from !== '' || query.to !== '';
  const choice = (key: 'dataset' | 'status' | 'stage', label: string, values: readonly string[] | undefined) => (
    <label>
      {label}
      <select name={key} value={query[key]} onChange={set(key)}>
        <option value="">all</option>
        {[...new Set([...(values ?? []), ...(query[key] === '' ? [] : [query[key]])])].map((v) => <option value={v}>{v}</option>)}
      </select>
    </label>
  );
  const empty = list.data !== undefined && list.data.total === 0;
  return (
    <section>
      <div class="page-head">
        <h1>Runs</h1>
        <span class="muted">one run per landed object · {list.data ? `${formatCount(list.data.total)} ${filtered ? 'matching' : 'in all'}` : 'loading…'}</span>
      </div>
      <div class="grid-2 runs-grid">
        <div class="panel">
          <form class="filters" onSubmit={(e) => e.preventDefault()}>
            {choice('dataset', 'Dataset', facets?.datasets)}
            {choice('status', 'Status', facets?.statuses)}
            {choice('stage', 'Last stage', facets?.stages)}
            <label>Landed from<input type="datetime-local" name="from" value={toLocalInput(query.from)} onChange={set('from')} /></label>
            <label>until<input type="datetime-local" name="to" value={toLocalInput(query.to)} onChange={set('to')} /></label>
            {filtered ? <button type="button" class="link" onClick={() => go({ dataset: '', status: '', stage: '', from: '', to: '', offset: 0 })}>Clear filters</button> : null}
          </form>
          {list.error ? <p class="error">{list.error}</p> : null}
          <PagedTable
            label="runs"
            rows={list.data?.runs ?? []}
            columns={columns}
            rowKey={(r) => r.runId}
            total={list.data?.total ?? 0}
            offset={query.offset}
            limit={PAGE_SIZE}
            onPage={(offset) => go({ ...query, offset })}
            onRow={(r) => go(query, r.runId)}
            {...(selected !== undefined ? { selected } : {})}
            empty={list.loading ? 'Loading…' : 'No run matches these filters.'}
          />
        </div>
        {selected !== undefined ? <RunDetailPanel runId={selected} /> : (
          <div class="panel empty-state" data-testid="run-empty">
            {list.error ? <p class="error">{list.error}</p> : empty ? (
              <>
                <h2>No run to show</h2>
                <p class="muted">{filtered ? 'No run matches these filters.' : 'Nothing has landed yet: drop a file into the raw zone (`tributary drop FILE --dataset NAME`) and its run appears here.'}</p>
                {filtered ? <button type="button" onClick={() => go({ dataset: '', status: '', stage: '', from: '', to: '', offset: 0 })}>Clear filters</button> : null}
              </>
            ) : <p class="muted">Loading runs…</p>}
          </div>
        )}
      </div>
    </section>
  );
}
