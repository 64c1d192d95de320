import type { ChartConfiguration } from 'chart.js';
import { useMemo } from 'preact/hooks';
import { ChartView } from '../kit/chart-view';
import { formatCount, formatMs, formatTime } from '../kit/format';
import { StatusBadge } from '../kit/status-badge';
import { useApi } from '../kit/use-api';
import { RunViewSchema, type RunView } from './runs-schemas';

const STATUS_COLOURS: Readonly<Record<string, string>> = { succeeded: '#22c55e', failed: '#ef4444', quarantined: '#f97316', running: '#3b82f6', pending: '#94a3b8' };

/** The stages of a run as floating horizontal bars, milliseconds from the landing. */
function timelineConfig(view: RunView): ChartConfiguration {
  return {
    type: 'bar',
    data: {
      labels: view.spans.map((s) => s.stage),
      datasets: [{
        label: 'stage span (ms after landing)',
        data: view.spans.map((s) => [s.startMs, Math.max(s.endMs, s.startMs + 1)]),
        backgroundColor: view.spans.map((s) => STATUS_COLOURS[s.status] ?? '#94a3b8'),
        borderRadius: 4,
        barPercentage: 0.7,
      }],
    },
    options: {
      indexAxis: 'y',
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: (item) => { const s = view.spans[item.dataIndex]; return s ? `${s.status} · ${formatMs(s.endMs - s.startMs)} (from +${formatMs(s.startMs)})` : ''; } } },
      },
      scales: { x: { title: { display: true, text: 'ms after landing' }, beginAtZero: true }, y: { grid: { display: false } } },
    },
  };
}

/** One run: its object, row accounting, stage timeline (chart), lineage and stage table. */
export function RunDetailPanel(props: { runId: string }) {
  const { data: view, error } = useApi(`/api/runs/${encodeURIComponent(props.runId)}`, RunViewSchema);
  const config = useMemo(() => (view ? timelineConfig(view) : undefined), [view]);
  if (error) return <div class="panel"><p class="error">{error}</p></div>;
  if (!view || !config) return <div class="panel muted">Loading run…</div>;
  const r = view.run;
  const rows = view.rows;
  return (
    <div class="panel stack" data-testid="run-detail">
      <div>
        <h2>Run <span class="mono">{r.runId}</span> <StatusBadge status={r.lastStatus} /></h2>
        <dl class="kv">
          <dt>dataset</dt><dd>{r.dataset}</dd>
          <dt>object</dt><dd class="mono">s3://{r.object.bucket}/{r.object.key}</dd>
          <dt>size</dt><dd>{formatCount(r.object.size)} bytes</dd>
          <dt>landed</dt><dd>{formatTime(r.landedAt)}</dd>
          {r.eventTimeRange ? <><dt>event time</dt><dd>{formatTime(r.eventTimeRange.min)} → {formatTime(r.eventTimeRange.max)}</dd></> : null}
          {r.error ? <><dt>error</dt><dd class="error">{r.error.errorClass}: {r.error.message}</dd></> : null}
        </dl>
      </div>
      <div>
        <h3>Row accounting</h3>
        {rows ? (
          <div class="stats" data-testid="row-accounting">
            {rows.atLanding !== undefined ? <div class="stat"><div class="v">{formatCount(rows.atLanding)}</div><div class="k">at landing</div></div> : null}
            <div class="stat"><div class="v">{formatCount(rows.read)}</div><div class="k">read</div></div>
            <div class="stat ok"><div class="v">{formatCount(rows.refined)}</div><div class="k">refined</div></div>
            <div class="stat bad"><div class="v">{formatCount(rows.rejected)}</div><div class="k">rejected</div></div>
            <div class="stat"><div class="v">{formatCount(rows.duplicates)}</div><div class="k">duplicates</div></div>
            <div class={`stat ${rows.balanced ? 'ok' : 'bad'}`}><div class="v">{rows.balanced ? '✓' : '✗'}</div><div class="k">{rows.balanced ? 'balanced' : 'unbalanced'}</div></div>
          </div>
        ) : <p class="muted">Not refined yet.</p>}
      </div>
      <div>
        <h3>Stage timeline</h3>
        <ChartView config={config} height={Math.max(120, 34 * view.spans.length + 50)} label="stage timeline" />
      </div>
      <div>
        <h3>Lineage</h3>
        <ul class="lineage" data-testid="lineage">
          <li>object <code>s3://{r.object.bucket}/{r.object.key}</code>
            <ul>
              {view.lineage.length === 0 ? <li class="muted">no refined partition yet</li> : view.lineage.map((l) => (
                <li>refined partition <code>{l.partition}</code>
                  {l.forecastOutputs.length > 0 ? <ul>{l.forecastOutputs.map((f) => <li>forecast <code>{f}</code></li>)}</ul> : null}
                </li>
              ))}
            </ul>
          </li>
        </ul>
      </div>
      <div>
        <h3>Stages</h3>
        <table class="data" aria-label="stages">
          <thead><tr><th>Stage</th><th>Status</th><th class="num">Attempts</th><th class="num">Took</th><th>Error</th></tr></thead>
          <tbody>
            {view.spans.map((s) => (
              <tr><td>{s.stage}</td><td><StatusBadge status={s.status} /></td><td class="num">{s.attempts}</td><td class="num">{formatMs(s.endMs - s.startMs)}</td>
                <td class="muted">{view.stages.find((x) => x.stage === s.stage)?.error?.message ?? ''}</td></tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
