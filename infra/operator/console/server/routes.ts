import type { ApiRoute } from './api-route';
import { catalogRoutes } from './catalog-api';
import type { ReadContext } from './console-context';
import { deadLettersRoutes } from './dead-letters-api';
import { eventsRoutes } from './events-api';
import { forecastsRoutes } from './forecasts-api';
import { pipelineGraphRoutes, pipelineRoutes } from './pipeline-api';
import { runsRoutes } from './runs-api';
import { sessionRoutes } from './session-api';
import { sqlRoutes } from './sql-api';
import { streamRoutes } from './stream-api';

/**
 * The console's API: one array per page (`<page>-api.ts`), spread here. A route is
 * `{method, path, needsToken, handler}` (JSON) or `{kind: 'stream', …, open}` (server-sent events);
 * read-only routes need no token, actions do. Handlers read through `infra/operator/read-side/`.
 */
export const routes: readonly ApiRoute[] = [...sessionRoutes, ...streamRoutes, ...pipelineGraphRoutes, ...pipelineRoutes, ...runsRoutes, ...eventsRoutes, ...deadLettersRoutes, ...catalogRoutes, ...sqlRoutes, ...forecastsRoutes];

/** The routes that read only a ReadContext: what `tributary console --aws` serves for the deployed stack. */
export const readOnlyRoutes: readonly ApiRoute<ReadContext>[] = [...sessionRoutes, ...pipelineGraphRoutes, ...runsRoutes];
