import type { ChartConfiguration } from 'chart.js';
import { useMemo } from 'preact/hooks';
import { ChartView } from '../kit/chart-view';
import { formatCount, formatMs, formatTime } from '../kit/format';
import { StatusBadge } from '../kit/status-badge';
import { useApi } from '../kit/use-api';
import { RunViewSchema, type RunView } from './runs-schemas';

const STATUS_COLOURS: Readonly<Record<string, string>> = { succeeded: '#22c55e', failed: '#ef4444', quarantined: '#f97316', running: '#3b82f6', pending: '#94a3b8' };

/** The stages of a run as floating horizontal bars, milliseconds from the landing: the wait before each (grey) and its work (by status). */
function timelineConfig(view: RunView): ChartConfiguration {
  const span = (i: number): RunView['spans'][number] | undefined => view.spans[i];
  return {
    type: 'bar',
    data: {
      labels: view.spans.map((s) => s.stage),
      datasets: [
        {
          label: 'waiting',
          data: view.spans.map((s) => [s.queuedMs, Math.max(s.startMs, s.queuedMs)]),
          backgroundColor: '#e2e8f0',
          borderColor: '#94a3b8',
          borderWidth: { left: 0, right: 0, top: 1, bottom: 1 },
          borderSkipped: false,
          barPercentage: 0.45,
          grouped: false,
        },
        {
          label: 'working',
          data: view.spans.map((s) => [s.startMs, Math.max(s.endMs, s.startMs + 1)]),
          backgroundColor: view.spans.map((s) => STATUS_COLOURS[s.status] ?? '#94a3b8'),
          borderRadius: 4,
          barPercentage: 0.75,
          grouped: false,
        },
      ],
    },
    options: {
      indexAxis: 'y',
      plugins: {
        legend: { display: true, position: 'bottom', labels: { boxWidth: 12, boxHeight: 12 } },
        tooltip: {
          callbacks: {
            label: (item) => {
              const s = span(item.dataIndex);
              if (!s) return '';
              return item.datasetIndex === 0 ? `waited ${formatMs(s.startMs - s.queuedMs)}` : `${s.status} · worked ${formatMs(s.endMs - s.startMs)} (from +${formatMs(s.startMs)})`;
            },
          },
        },
      },
      scales: { x: { title: { display: true, text: 'seconds after landing' }, beginAtZero: true, ticks: { callback: (v) => `${(Number(v) / 1000).toFixed(0)} s` } }, y: { grid: { display: false } } },
    },
  };
}

/** A link to the catalog page's table (`#/catalog/<database>/<table>`). */
function TableLink(props: { table: { database: string; table: string } }) {
  const { database, table } = props.table;
  return <a href={`#/catalog/${encodeURIComponent(database)}/${encodeURIComponent(table)}`} class="table-link" data-testid="catalog-link" title="open in the catalog"><code>{database}.{table}</code></a>;
}

/** One run: its object, row accounting, stage timeline (chart), lineage and stage table. */
export function RunDetailPanel(props: { runId: string }) {
  const { data: view, error } = useApi(`/api/runs/${encodeURIComponent(props.runId)}`, RunViewSchema);
  const config = useMemo(() => (view ? timelineConfig(view) : undefined), [view]);
  if (error) return <div class="panel"><p class="error">{error}</p></div>;
  if (!view || !config) return <div class="panel muted loading">Loading run <span class="mono">{props.runId}</span>…</div>;
  const r = view.run;
  const rows = view.rows;
  const errors = view.stages.some((s) => s.error !== undefined);
  return (
    <div class="panel stack" data-testid="run-detail">
      <div>
        <h2>Run <span class="mono">{r.runId}</span> <StatusBadge status={r.lastStatus} /></h2>
        <dl class="kv">
          <dt>dataset</dt><dd>{r.dataset}</dd>
          <dt>object</dt><dd class="mono" data-testid="run-object">s3://{r.object.bucket}/{r.object.key}</dd>
          <dt>size</dt><dd>{formatCount(r.object.size)} bytes</dd>
          <dt>landed</dt><dd>{formatTime(r.landedAt)}</dd>
          {r.eventTimeRange ? <><dt>event time</dt><dd>{formatTime(r.eventTimeRange.min)} → {formatTime(r.eventTimeRange.max)}</dd></> : null}
          {r.error ? <><dt>error</dt><dd class="error">{r.error.errorClass}: {r.error.message}</dd></> : null}
        </dl>
      </div>
      <div data-testid="row-accounting">
        <h3>Row accounting {rows ? <span class={`badge ${rows.balanced ? 'badge-succeeded' : 'badge-failed'}`}>{rows.balanced ? '✓ balanced' : '✗ unbalanced'}</span> : null}</h3>
        {rows ? (
          <div class="stats">
            {rows.atLanding !== undefined ? <div class="stat"><div class="v">{formatCount(rows.atLanding)}</div><div class="k">at landing</div></div> : null}
            <div class="stat"><div class="v">{formatCount(rows.read)}</div><div class="k">read</div></div>
            <div class="stat ok"><div class="v">{formatCount(rows.refined)}</div><div class="k">refined</div></div>
            <div class="stat bad"><div class="v">{formatCount(rows.rejected)}</div><div class="k">rejected</div></div>
            <div class="stat"><div class="v">{formatCount(rows.duplicates)}</div><div class="k">duplicates</div></div>
          </div>
        ) : <p class="muted">Not refined yet.</p>}
      </div>
      <div>
        <h3>Stage timeline</h3>
        <ChartView config={config} height={Math.max(140, 30 * view.spans.length + 80)} label="stage timeline" />
      </div>
      <div>
        <h3>Lineage</h3>
        <ul class="lineage" data-testid="lineage">
          <li>object <code>s3://{r.object.bucket}/{r.object.key}</code> in <TableLink table={view.tables.raw} />
            <ul>
              {view.lineage.length === 0 ? <li class="muted">no refined partition yet</li> : (
                <li>{view.lineage.length === 1 ? 'refined partition' : `${view.lineage.length} refined partitions`} of <TableLink table={view.tables.refined} />
                  <ul>
                    {view.lineage.map((l) => (
                      <li><code>{l.partition}</code>
                        {l.forecastOutputs.length > 0 ? <ul>{l.forecastOutputs.map((f) => <li>forecast <code>{f}</code> in <TableLink table={view.tables.forecast} /></li>)}</ul> : null}
                      </li>
                    ))}
                  </ul>
                </li>
              )}
            </ul>
          </li>
        </ul>
      </div>
      <div>
        <h3>Stages</h3>
        <table class="data" aria-label="stages">
          <thead><tr><th>Stage</th><th>Status</th><th class="num">Attempts</th><th class="num">Waited</th><th class="num">Took</th>{errors ? <th>Error</th> : null}</tr></thead>
          <tbody>
            {view.spans.map((s) => (
              <tr><td class="nowrap">{s.stage}</td><td><StatusBadge status={s.status} /></td><td class="num">{s.attempts}</td><td class="num nowrap">{formatMs(s.startMs - s.queuedMs)}</td><td class="num nowrap">{formatMs(s.endMs - s.startMs)}</td>
                {errors ? <td class="muted">{view.stages.find((x) => x.stage === s.stage)?.error?.message ?? ''}</td> : null}</tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
