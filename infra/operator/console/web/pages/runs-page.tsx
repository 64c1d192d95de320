import { useState } from 'preact/hooks';
import { apiPath } from '../kit/api';
import { formatCount, formatTime } from '../kit/format';
import { PagedTable, type Column } from '../kit/paged-table';
import { StatusBadge } from '../kit/status-badge';
import { useApi } from '../kit/use-api';
import type { PageProps } from './page-entry';
import { RunDetailPanel } from './run-detail-panel';
import { RunListPageSchema, type RunSummary } from './runs-schemas';

const PAGE_SIZE = 25;

interface Filters {
  dataset: string;
  status: string;
  stage: string;
  from: string;
  to: string;
}

const columns: readonly Column<RunSummary>[] = [
  { title: 'Landed', className: 'nowrap', cell: (r) => <span class="mono">{formatTime(r.landedAt)}</span> },
  { title: 'Dataset', cell: (r) => r.dataset },
  { title: 'Object', cell: (r) => <span class="mono truncate" title={`s3://${r.object.bucket}/${r.object.key}`}>{r.object.key.split('/').pop()}</span> },
  { title: 'Event time from', className: 'nowrap', cell: (r) => <span class="mono">{formatTime(r.eventTimeRange?.min)}</span> },
  { title: 'Last stage', className: 'nowrap', cell: (r) => <><StatusBadge status={r.lastStatus} /> {r.lastStage ?? ''}</> },
  { title: 'Rows', className: 'num', cell: (r) => (r.rowCounts ? formatCount(r.rowCounts.refined) : '') },
];

/** A `datetime-local` value as ISO (the browser's zone), or '' when empty or invalid. */
function toIso(local: string): string {
  const d = new Date(local);
  return local === '' || Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

/**
 * Runs: every landed object's run, newest first, filtered and paged by the server (so 10,000 runs
 * cost one page); selecting one shows its stage timeline, lineage and row accounting. `#/runs/<id>`
 * opens a run directly.
 */
export function RunsPage(props: PageProps) {
  const [filters, setFilters] = useState<Filters>({ dataset: '', status: '', stage: '', from: '', to: '' });
  const [offset, setOffset] = useState(0);
  const path = apiPath('/api/runs', { ...filters, from: toIso(filters.from), to: toIso(filters.to), offset, limit: PAGE_SIZE });
  const list = useApi(path, RunListPageSchema);
  const selected = props.subPath === '' ? list.data?.runs[0]?.runId : props.subPath;
  const set = (key: keyof Filters) => (e: Event) => {
    const target = e.currentTarget;
    if (target instanceof HTMLInputElement || target instanceof HTMLSelectElement) {
      setFilters({ ...filters, [key]: target.value });
      setOffset(0);
    }
  };
  const facets = list.data?.facets;
  const choice = (key: 'dataset' | 'status' | 'stage', label: string, values: readonly string[] | undefined) => (
    <label>
      {label}
      <select name={key} value={filters[key]} onChange={set(key)}>
        <option value="">all</option>
        {(values ?? []).map((v) => <option value={v}>{v}</option>)}
      </select>
    </label>
  );
  return (
    <section>
      <div class="page-head">
        <h1>Runs</h1>
        <span class="muted">one run per landed object · {list.data ? `${formatCount(list.data.total)} matching` : 'loading…'}</span>
      </div>
      <div class="grid-2" style={{ gridTemplateColumns: 'minmax(0, 1.6fr) minmax(390px, 1fr)' }}>
        <div class="panel">
          <form class="filters" onSubmit={(e) => e.preventDefault()}>
            {choice('dataset', 'Dataset', facets?.datasets)}
            {choice('status', 'Status', facets?.statuses)}
            {choice('stage', 'Last stage', facets?.stages)}
            <label>Landed from<input type="datetime-local" name="from" value={filters.from} onChange={set('from')} /></label>
            <label>until<input type="datetime-local" name="to" value={filters.to} onChange={set('to')} /></label>
          </form>
          {list.error ? <p class="error">{list.error}</p> : null}
          <PagedTable
            label="runs"
            rows={list.data?.runs ?? []}
            columns={columns}
            rowKey={(r) => r.runId}
            total={list.data?.total ?? 0}
            offset={offset}
            limit={PAGE_SIZE}
            onPage={setOffset}
            onRow={(r) => (window.location.hash = `#/runs/${encodeURIComponent(r.runId)}`)}
            {...(selected !== undefined ? { selected } : {})}
            empty={list.loading ? 'Loading…' : 'No run matches these filters.'}
          />
        </div>
        {selected !== undefined ? <RunDetailPanel runId={selected} /> : <div class="panel muted">Select a run.</div>}
      </div>
    </section>
  );
}
