import type { ChartConfiguration } from 'chart.js';

/** The chart kinds the SQL page draws, as QuickSight's basic visuals. */
export const CHART_KINDS = ['line', 'bar', 'scatter'] as const;
/** One chart kind. */
export type ChartKind = (typeof CHART_KINDS)[number];

/** What the user chose: the kind, the x and y columns, and an optional column that splits rows into series. */
export interface ChartChoice {
  readonly kind: ChartKind;
  readonly x: string;
  readonly y: string;
  readonly series?: string;
}

/** A chart of a result, and how many points it draws (what the browser test counts). */
export interface ResultChart {
  readonly config: ChartConfiguration;
  readonly points: number;
  readonly series: readonly string[];
}

const PALETTE = ['#2563eb', '#ea580c', '#16a34a', '#9333ea', '#dc2626', '#0891b2', '#ca8a04', '#db2777', '#4f46e5', '#65a30d'];

type Cell = string | null;

/** Whether every non-null cell of a column reads as a number. */
function numeric(values: readonly Cell[]): boolean {
  const present = values.filter((v): v is string => v !== null && v !== '');
  return present.length > 0 && present.every((v) => Number.isFinite(Number(v)));
}

/** Whether every non-null cell reads as a date-time (ISO-8601 or Athena's `YYYY-MM-DD HH:MM:SS`). */
function temporal(values: readonly Cell[]): boolean {
  const present = values.filter((v): v is string => v !== null && v !== '');
  return present.length > 0 && present.every((v) => /^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2}| UTC)?$/.test(v) && !Number.isNaN(timeOf(v)));
}

function timeOf(text: string): number {
  const iso = text.replace(' UTC', 'Z').replace(' ', 'T');
  return Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(iso) || !iso.includes('T') ? iso : `${iso}Z`);
}

function timeLabel(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 16).replace('T', ' ');
}

/**
 * Builds a chart.js configuration from result rows: each distinct value of `series` is one dataset
 * (one dataset when none). A numeric or date-time x is a linear axis (dates shown as dates) for
 * line and scatter; otherwise, and always for bar, x is a category axis in the order rows came.
 * Rows whose y is not a number are left out; `points` counts what is drawn.
 */
export function resultChart(columns: readonly string[], rows: ReadonlyArray<ReadonlyArray<Cell>>, choice: ChartChoice): ResultChart {
  const col = (name: string): number => columns.indexOf(name);
  const xi = col(choice.x);
  const yi = col(choice.y);
  const si = choice.series === undefined ? -1 : col(choice.series);
  const xs = rows.map((r) => r[xi] ?? null);
  const isTime = temporal(xs);
  const xKind = choice.kind === 'bar' ? 'category' : numeric(xs) ? 'number' : isTime && choice.kind === 'scatter' ? 'time' : choice.kind === 'scatter' ? 'index' : 'category';
  const distinct = [...new Set(xs.map((x) => x ?? '∅'))];
  const labels = xKind !== 'category' ? [] : isTime ? distinct.sort((a, b) => timeOf(a) - timeOf(b)) : distinct;
  const groups = new Map<string, Array<{ x: number; y: number }>>();
  let points = 0;
  rows.forEach((row, index) => {
    const y = Number(row[yi]);
    const xText = row[xi] ?? null;
    if (row[yi] === null || row[yi] === undefined || row[yi] === '' || !Number.isFinite(y)) return;
    const x = xKind === 'number' ? Number(xText) : xKind === 'time' ? timeOf(xText ?? '') : xKind === 'index' ? index : labels.indexOf(xText ?? '∅');
    if (!Number.isFinite(x)) return;
    const name = si < 0 ? choice.y : (row[si] ?? '∅');
    const list = groups.get(name) ?? [];
    list.push({ x, y });
    groups.set(name, list);
    points += 1;
  });
  const names = [...groups.keys()];
  const datasets = names.map((name, i) => {
    const color = PALETTE[i % PALETTE.length] ?? '#2563eb';
    const data = (groups.get(name) ?? []).slice();
    if (xKind !== 'category') data.sort((a, b) => a.x - b.x);
    return {
      label: name,
      data: xKind === 'category' ? labels.map((_, li) => data.find((p) => p.x === li)?.y ?? null) : data,
      borderColor: color,
      backgroundColor: choice.kind === 'bar' ? `${color}cc` : color,
      pointRadius: choice.kind === 'scatter' ? 3 : data.length > 200 ? 0 : 2,
      borderWidth: choice.kind === 'bar' ? 0 : 1.6,
      spanGaps: true,
    };
  });
  const xScale =
    xKind === 'category'
      ? { type: 'category' as const, title: { display: true, text: choice.x }, ticks: { maxTicksLimit: 12, autoSkip: true, ...(isTime ? { callback: (v: string | number) => timeLabel(timeOf(labels[Number(v)] ?? '')) } : {}) } }
      : { type: 'linear' as const, title: { display: true, text: choice.x }, ticks: { maxTicksLimit: 8, ...(xKind === 'time' ? { callback: (v: string | number) => timeLabel(Number(v)) } : {}) } };
  const config: ChartConfiguration = {
    type: choice.kind,
    data: { ...(xKind === 'category' ? { labels } : {}), datasets },
    options: {
      parsing: xKind === 'category' ? undefined : false,
      plugins: { legend: { display: names.length > 1 || choice.series !== undefined, position: 'bottom' } },
      scales: { x: xScale, y: { title: { display: true, text: choice.y } } },
    },
  };
  return { config, points, series: names };
}
