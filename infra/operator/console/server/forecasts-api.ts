import { z } from 'zod';
import { loadForecastArtifact } from '../../../local/runtime/model-registry';
import { readForecastView } from '../../read-side/forecast-read';
import { ConsoleApiError, type ApiRoute } from './api-route';
import { pageReaders } from './page-readers';
import { parseQuery } from './parse-query';

const ViewQuerySchema = z.object({ series: z.string().optional() });
const KeySchema = z.array(z.string());

/** `series` as the page sends it: the JSON array of the series' group-by values. */
function seriesKey(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const key = KeySchema.safeParse(parsed);
  if (!key.success) throw new ConsoleApiError(400, `series must be a JSON array of the series' group-by values, such as ["S001"], got ${JSON.stringify(text)}`);
  return key.data;
}

/**
 * The Forecasts page's API: `GET /api/forecasts` (the datasets with a forecast) and
 * `GET /api/forecasts/:dataset?series=["S001"]` (one series: actuals, predictions, the newest
 * origin's horizon, the model and its backtest).
 */
export const forecastsRoutes: readonly ApiRoute[] = [
  {
    method: 'GET',
    path: '/api/forecasts',
    needsToken: false,
    handler: async (_request, ctx) => {
      const datasets = ctx.runtime.deps.datasets;
      const withForecast: string[] = [];
      for (const name of await datasets.listDatasets()) if ((await datasets.getDataset(name).catch(() => undefined))?.manifest.forecast) withForecast.push(name);
      return { datasets: withForecast.sort() };
    },
  },
  {
    method: 'GET',
    path: '/api/forecasts/:dataset',
    needsToken: false,
    handler: async (request, ctx) => {
      const name = request.params['dataset'] ?? '';
      const dataset = await ctx.runtime.deps.datasets.getDataset(name);
      if (dataset === undefined) throw new ConsoleApiError(404, `no dataset ${JSON.stringify(name)}`);
      const key = seriesKey(parseQuery(ViewQuerySchema, request.query).series);
      const { sql } = pageReaders(ctx);
      return readForecastView((text) => sql.query(text), dataset, await loadForecastArtifact(ctx.home, name), key).catch((error: unknown) => {
        throw new ConsoleApiError(400, error instanceof Error ? error.message : String(error));
      });
    },
  },
];
