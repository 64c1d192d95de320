import type { ChartConfiguration } from 'chart.js';
import { useMemo, useState } from 'preact/hooks';
import * as z from 'zod/mini';
import { apiPath } from '../kit/api';
import { ChartView } from '../kit/chart-view';
import { formatCount, formatTime } from '../kit/format';
import { useApi } from '../kit/use-api';
import './console-pages.css';
import type { PageProps } from './page-entry';

const DatasetsSchema = z.object({ datasets: z.array(z.string()) });
const PointSchema = z.object({ time: z.string(), value: z.number() });
const ScoreSchema = z.object({ model: z.string(), mae: z.number(), mase: z.nullable(z.number()) });
const ViewSchema = z.object({
  dataset: z.string(),
  target: z.string(),
  groupBy: z.array(z.string()),
  every: z.string(),
  horizon: z.number(),
  seriesKeys: z.array(z.array(z.string())),
  key: z.array(z.string()),
  actuals: z.array(PointSchema),
  predictions: z.array(z.extend(PointSchema, { origin: z.string(), step: z.number(), version: z.string() })),
  latest: z.optional(z.object({ origin: z.string(), from: z.string(), to: z.string() })),
  model: z.object({
    name: z.string(),
    version: z.string(),
    trainedAt: z.optional(z.string()),
    trainingRows: z.optional(z.number()),
    backtest: z.optional(z.object({ from: z.string(), origins: z.number(), forecasts: z.number(), scale: z.number(), scores: z.array(ScoreSchema) })),
  }),
});
type View = z.infer<typeof ViewSchema>;

const HOUR = 3_600_000;
/** How much history the chart shows before the newest prediction. */
const WINDOWS = [
  { label: 'last 24 hours', ms: 24 * HOUR },
  { label: 'last 3 days', ms: 72 * HOUR },
  { label: 'last 7 days', ms: 168 * HOUR },
  { label: 'everything', ms: Number.POSITIVE_INFINITY },
] as const;

function timeLabel(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(5, 10) : iso.slice(5, 16).replace('T', ' ');
}

/** A tick spacing of whole hours or days giving about eight ticks over `spanMs`. */
function timeStep(spanMs: number): number {
  return [HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, 24 * HOUR, 48 * HOUR, 168 * HOUR].find((s) => spanMs / s <= 9) ?? 720 * HOUR;
}

/** Actuals (solid), predictions of each target time's newest origin (dashed) and the newest origin's horizon (shaded), over the window. */
function forecastChart(view: View, windowMs: number): ChartConfiguration<'line', Array<{ x: number; y: number }>> {
  const end = Math.max(...[...view.actuals, ...view.predictions].map((p) => Date.parse(p.time)));
  const start = Math.max(end - windowMs, Math.min(...[...view.actuals, ...view.predictions].map((p) => Date.parse(p.time))));
  const points = (list: ReadonlyArray<{ time: string; value: number }>) => list.map((p) => ({ x: Date.parse(p.time), y: p.value })).filter((p) => p.x >= start);
  const horizon = view.latest ? view.predictions.filter((p) => p.origin === view.latest?.origin) : [];
  const step = timeStep(end - start);
  return {
    type: 'line',
    data: {
      datasets: [
        { label: 'actual', data: points(view.actuals), borderColor: '#0f172a', backgroundColor: '#0f172a', borderWidth: 1.8, pointRadius: 0 },
        { label: 'predicted', data: points(view.predictions), borderColor: '#2563eb', backgroundColor: '#2563eb', borderDash: [5, 3], borderWidth: 1.6, pointRadius: 0 },
        { label: `horizon (${view.horizon} × ${view.every} from the newest origin)`, data: points(horizon), borderColor: '#ea580c', backgroundColor: 'rgba(234, 88, 12, 0.15)', fill: 'origin', borderWidth: 2.2, pointRadius: 3 },
      ],
    },
    options: {
      parsing: false,
      interaction: { mode: 'nearest', intersect: false },
      plugins: { legend: { position: 'bottom' } },
      scales: {
        x: { type: 'linear', min: start, max: end, title: { display: true, text: 'time (UTC)' }, ticks: { callback: (v) => timeLabel(Number(v)) },
          afterBuildTicks: (axis) => {
            const ticks: Array<{ value: number }> = [];
            for (let t = Math.ceil(start / step) * step; t <= end; t += step) ticks.push({ value: t });
            axis.ticks = ticks;
          },
        },
        y: { title: { display: true, text: view.target } },
      },
    },
  };
}

/**
 * Forecasts: per dataset and series, what happened against what the model predicted (each target
 * time by its newest origin), the newest origin's horizon, and the model that made them with its
 * rolling-origin backtest (MAE and MASE of each candidate).
 */
export function ForecastsPage(_props: PageProps) {
  const datasets = useApi('/api/forecasts', DatasetsSchema);
  const [dataset, setDataset] = useState('');
  const [series, setSeries] = useState('');
  const [windowLabel, setWindowLabel] = useState<string>(WINDOWS[0].label);
  const windowMs = WINDOWS.find((w) => w.label === windowLabel)?.ms ?? Number.POSITIVE_INFINITY;
  const chosen = dataset || datasets.data?.datasets[0];
  const view = useApi(chosen ? apiPath(`/api/forecasts/${encodeURIComponent(chosen)}`, { series }) : undefined, ViewSchema);
  const v = view.data;
  const config = useMemo(() => (v && v.actuals.length + v.predictions.length > 0 ? forecastChart(v, windowMs) : undefined), [v, windowMs]);
  const chosenScore = v?.model.backtest?.scores.find((s) => s.model === v.model.name);
  return (
    <section>
      <div class="page-head">
        <h1>Forecasts</h1>
        <span class="muted">actuals against predictions, per dataset and series</span>
      </div>
      <div class="panel" style={{ marginBottom: '16px' }}>
        <form class="filters" onSubmit={(e) => e.preventDefault()}>
          <label>
            Dataset
            <select name="dataset" value={chosen ?? ''} onChange={(e) => { setDataset(e.currentTarget.value); setSeries(''); }}>
              {(datasets.data?.datasets ?? []).map((d) => <option value={d}>{d}</option>)}
            </select>
          </label>
          <label>
            Series ({v?.groupBy.join(', ') ?? '…'})
            <select name="series" value={v ? JSON.stringify(v.key) : series} onChange={(e) => setSeries(e.currentTarget.value)}>
              {(v?.seriesKeys ?? []).map((k) => <option value={JSON.stringify(k)}>{k.join(' · ')}</option>)}
            </select>
          </label>
          <label>
            Show
            <select name="window" value={windowLabel} onChange={(e) => setWindowLabel(e.currentTarget.value)}>
              {WINDOWS.map((w) => <option value={w.label}>{w.label}</option>)}
            </select>
          </label>
        </form>
        {datasets.data?.datasets.length === 0 ? <p class="muted">No dataset has forecast settings.</p> : null}
        {view.error ? <p class="error">{view.error}</p> : null}
        {v ? (
          <div class="stats">
            <div class="stat"><div class="v" style={{ fontSize: '16px' }}>{v.model.name}</div><div class="k">model · {v.model.version}</div></div>
            <div class="stat"><div class="v">{v.horizon} × {v.every}</div><div class="k">horizon</div></div>
            <div class="stat"><div class="v">{chosenScore ? chosenScore.mae.toFixed(2) : 'n/a'}</div><div class="k">backtest MAE ({v.target})</div></div>
            <div class="stat"><div class="v">{chosenScore?.mase != null ? chosenScore.mase.toFixed(3) : 'n/a'}</div><div class="k">backtest MASE</div></div>
            <div class="stat"><div class="v">{formatCount(v.predictions.length)}</div><div class="k">predicted steps</div></div>
          </div>
        ) : null}
      </div>
      {v && config ? (
        <div class="grid-2">
          <div class="panel">
            <h2>{v.dataset} · {v.key.join(' · ')} · {v.target}</h2>
            <div data-testid="forecast-chart" data-series={config.data.datasets.map((d) => d.label).join('|')} data-actual={String(v.actuals.length)} data-predicted={String(v.predictions.length)}>
              <ChartView config={config} height={380} label={`forecast of ${v.target} for ${v.key.join(' ')}`} />
            </div>
            {v.latest ? <p class="muted">Newest origin {formatTime(v.latest.origin)}: predictions from {formatTime(v.latest.from)} to {formatTime(v.latest.to)}.</p> : null}
          </div>
          <div class="panel">
            <h2>Model</h2>
            <dl class="kv">
              <dt>Model</dt><dd>{v.model.name}</dd>
              <dt>Version</dt><dd class="mono">{v.model.version}</dd>
              {v.model.trainedAt ? <><dt>Trained at</dt><dd>{formatTime(v.model.trainedAt)}</dd></> : null}
              {v.model.trainingRows !== undefined ? <><dt>Training rows</dt><dd>{formatCount(v.model.trainingRows)}</dd></> : null}
            </dl>
            {v.model.backtest ? (
              <>
                <h3>Backtest</h3>
                <p class="muted" style={{ marginTop: 0 }}>Rolling origins from {formatTime(v.model.backtest.from)}: {formatCount(v.model.backtest.origins)} origins, {formatCount(v.model.backtest.forecasts)} forecasts. MASE divides MAE by the in-sample seasonal-naive MAE ({v.model.backtest.scale.toFixed(2)}); below 1 beats it.</p>
                <table class="data backtest" aria-label="backtest">
                  <thead><tr><th>Candidate</th><th class="num">MAE</th><th class="num">MASE</th></tr></thead>
                  <tbody>
                    {v.model.backtest.scores.map((s) => (
                      <tr><td class={s.model === v.model.name ? 'chosen' : ''}>{s.model}{s.model === v.model.name ? ' ✓ chosen' : ''}</td><td class="num">{s.mae.toFixed(3)}</td><td class="num">{s.mase === null ? 'n/a' : s.mase.toFixed(3)}</td></tr>
                    ))}
                  </tbody>
                </table>
              </>
            ) : <p class="muted">No trained artifact: forecasts use the built-in seasonal-naive. Train one with <code>tributary train {v.dataset}</code>.</p>}
          </div>
        </div>
      ) : null}
    </section>
  );
}
