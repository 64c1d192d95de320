import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { SeriesRow } from '../../../handlers/forecast-model/series-set';

const DATA = path.join(__dirname, '..', '..', '..', 'node_modules', 'vega-datasets', 'data');
const HOUR = 3_600_000;

function csv(file: string): string[][] {
  return readFileSync(path.join(DATA, file), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
}

/** Seattle's daily maximum temperature, 2012–2015 (vega-datasets seattle-weather.csv), one series. */
export function seattleTempMax(): SeriesRow[] {
  return csv('seattle-weather.csv').map((c) => ({ key: [], time: Date.parse(`${c[0] ?? ''}T00:00:00Z`), value: Number(c[2]) }));
}

/** Monthly CO2 concentration at Mauna Loa, 1958–2020 (vega-datasets co2-concentration.csv), one series. */
export function co2Monthly(): SeriesRow[] {
  return csv('co2-concentration.csv').map((c) => ({ key: [], time: Date.parse(`${c[0] ?? ''}T00:00:00Z`), value: Number(c[1]) }));
}

/**
 * Departures per hour from the `airports` busiest origins in vega-datasets flights-20k.json
 * (January–March 2001), zero for hours without a departure: one series per airport.
 */
export function hourlyDepartures(airports: number): SeriesRow[] {
  const flights: unknown = JSON.parse(readFileSync(path.join(DATA, 'flights-20k.json'), 'utf8'));
  if (!Array.isArray(flights)) throw new Error('flights-20k.json is not an array');
  const counts = new Map<string, number>();
  const perAirport = new Map<string, number>();
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const f of flights as { date: string; origin: string }[]) {
    const hour = Math.floor(Date.parse(`${f.date.replace(/\//g, '-').replace(' ', 'T')}:00Z`) / HOUR);
    first = Math.min(first, hour);
    last = Math.max(last, hour);
    counts.set(`${f.origin} ${hour}`, (counts.get(`${f.origin} ${hour}`) ?? 0) + 1);
    perAirport.set(f.origin, (perAirport.get(f.origin) ?? 0) + 1);
  }
  const busiest = [...perAirport].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, airports).map(([a]) => a);
  return busiest.flatMap((airport) => Array.from({ length: last - first + 1 }, (_, i) => ({ key: [airport], time: (first + i) * HOUR, value: counts.get(`${airport} ${first + i}`) ?? 0 })));
}
