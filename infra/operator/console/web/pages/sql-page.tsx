import { useEffect, useMemo, useState } from 'preact/hooks';
import * as z from 'zod/mini';
import { getJson, postJson } from '../kit/api';
import { ChartView } from '../kit/chart-view';
import { formatCount, formatMs } from '../kit/format';
import { PagedTable, type Column } from '../kit/paged-table';
import './console-pages.css';
import type { PageProps } from './page-entry';
import { CHART_KINDS, resultChart, type ChartKind } from './sql-chart';

const Cell = z.nullable(z.string());
const PageSchema = z.object({ id: z.string(), columns: z.array(z.string()), total: z.number(), offset: z.number(), rows: z.array(z.array(Cell)), elapsedMs: z.optional(z.number()) });
const CsvSchema = z.object({ csv: z.string() });

type Page = z.infer<typeof PageSchema>;
type Row = readonly (string | null)[];

const GRID_PAGE = 15;
/** The most rows a chart draws (the grid pages through all of them). */
const CHART_ROWS = 5000;
const EXAMPLE = `SELECT date_trunc('hour', eventtime) AS hour, uniqueid, avg(currentspeed) AS avg_speed
FROM tributary_refined.traffic
WHERE uniqueid IN ('S001', 'S002', 'S003')
GROUP BY 1, 2
ORDER BY 1, 2`;

/** Saves text as a file through a temporary object URL. */
function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The chart of a result: kind, x, y and series chosen from its columns, drawn over its first rows. */
function ResultChartPanel(props: { result: Page }) {
  const { result } = props;
  const [rows, setRows] = useState<Row[]>();
  const numericColumns = result.columns.filter((c, i) => result.rows.some((r) => r[i] !== null) && result.rows.every((r) => r[i] === null || Number.isFinite(Number(r[i]))));
  const [kind, setKind] = useState<ChartKind>('line');
  const [x, setX] = useState(result.columns[0] ?? '');
  const [y, setY] = useState(numericColumns.find((c) => c !== result.columns[0]) ?? numericColumns[0] ?? result.columns[1] ?? '');
  const [series, setSeries] = useState(result.columns.length > 2 ? (result.columns.find((c) => c !== result.columns[0] && !numericColumns.includes(c)) ?? '') : '');
  useEffect(() => {
    setRows(undefined);
    getJson(`/api/sql/${result.id}?offset=0&limit=${CHART_ROWS}`, PageSchema).then((p) => setRows(p.rows), () => setRows(result.rows));
  }, [result.id]);
  const chart = useMemo(() => (rows ? resultChart(result.columns, rows, { kind, x, y, ...(series !== '' ? { series } : {}) }) : undefined), [rows, kind, x, y, series]);
  const select = (label: string, value: string, set: (v: string) => void, options: readonly string[], none?: string) => (
    <label>
      {label}
      <select name={label.toLowerCase()} value={value} onChange={(e) => set(e.currentTarget.value)}>
        {none !== undefined ? <option value="">{none}</option> : null}
        {options.map((o) => <option value={o}>{o}</option>)}
      </select>
    </label>
  );
  return (
    <div class="panel">
      <h2>Chart</h2>
      <div class="chart-controls">
        {select('Kind', kind, (v) => setKind(CHART_KINDS.find((k) => k === v) ?? 'line'), CHART_KINDS)}
        {select('X', x, setX, result.columns)}
        {select('Y', y, setY, result.columns)}
        {select('Series', series, setSeries, result.columns.filter((c) => c !== x && c !== y), 'none')}
        <span class="muted">{chart ? `${formatCount(chart.points)} points in ${chart.series.length} series${result.total > CHART_ROWS ? ` (first ${formatCount(CHART_ROWS)} rows)` : ''}` : 'loading…'}</span>
      </div>
      {chart ? (
        <div data-testid="result-chart" data-points={String(chart.points)} data-series={String(chart.series.length)}>
          <ChartView config={chart.config} height={340} label={`${kind} chart of ${y} by ${x}`} />
        </div>
      ) : null}
    </div>
  );
}

/**
 * SQL: an editor for the read-only Athena dialect over the catalog (tables as `database.table`), a
 * results grid paged by the server, the whole result as CSV, and a chart of it — line, bar or
 * scatter, with x, y and series chosen from the result's columns, as QuickSight would.
 */
export function SqlPage(_props: PageProps) {
  const [sql, setSql] = useState(EXAMPLE);
  const [result, setResult] = useState<Page>();
  const [page, setPage] = useState<Page>();
  const [error, setError] = useState<string>();
  const [running, setRunning] = useState(false);
  const run = () => {
    setRunning(true);
    setError(undefined);
    postJson('/api/sql', { sql }, PageSchema)
      .then((p) => {
        setResult(p);
        setPage({ ...p, rows: p.rows.slice(0, GRID_PAGE) });
      }, (e: unknown) => setError(e instanceof Error ? e.message : String(e)))
      .finally(() => setRunning(false));
  };
  const turn = (offset: number) => {
    if (!result) return;
    getJson(`/api/sql/${result.id}?offset=${offset}&limit=${GRID_PAGE}`, PageSchema).then(setPage, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };
  const csv = () => {
    if (!result) return;
    getJson(`/api/sql/${result.id}/csv`, CsvSchema).then((c) => download('query-result.csv', c.csv), (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };
  const columns: readonly Column<{ i: number; row: Row }>[] = (result?.columns ?? []).map((c, ci) => ({ title: c, className: 'mono nowrap', cell: (r) => r.row[ci] ?? <span class="muted">NULL</span> }));
  return (
    <section>
      <div class="page-head">
        <h1>SQL</h1>
        <span class="muted">read-only Athena SQL over the catalog · tables as database.table · Ctrl+Enter runs</span>
      </div>
      <div class="stack">
        <div class="panel">
          <textarea
            class="mono editor"
            name="sql"
            aria-label="SQL"
            spellcheck={false}
            rows={6}
            value={sql}
            onInput={(e) => setSql(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                run();
              }
            }}
          />
          <div class="toolbar" style={{ marginTop: '8px' }}>
            <button type="button" class="primary" disabled={running} onClick={run}>{running ? 'Running…' : 'Run'}</button>
            <button type="button" disabled={!result} onClick={csv}>Download CSV</button>
            {result ? <span class="muted" role="status">{formatCount(result.total)} row(s) · {formatMs(result.elapsedMs ?? 0)}</span> : null}
          </div>
          {error ? <p class="error" role="alert">{error}</p> : null}
        </div>
        {result && result.columns.length >= 2 && result.total > 0 ? <ResultChartPanel key={result.id} result={result} /> : null}
        {result && page ? (
          <div class="panel">
            <h2>Results</h2>
            <PagedTable label="results" rows={page.rows.map((row, i) => ({ i: page.offset + i, row }))} columns={columns} rowKey={(r) => String(r.i)} total={page.total} offset={page.offset} limit={GRID_PAGE} onPage={turn} empty="The query returned no rows." />
          </div>
        ) : null}
      </div>
    </section>
  );
}
