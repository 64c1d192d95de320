import type { ApiRoute } from './api-route';
import { catalogRoutes } from './catalog-api';
import { deadLettersRoutes } from './dead-letters-api';
import { eventsRoutes } from './events-api';
import { forecastsRoutes } from './forecasts-api';
import { pipelineRoutes } from './pipeline-api';
import { runsRoutes } from './runs-api';
import { sessionRoutes } from './session-api';
import { sqlRoutes } from './sql-api';
import { streamRoutes } from './stream-api';

/**
 * The console's API: one array per page (`<page>-api.ts`), spread here. A route is
 * `{method, path, needsToken, handler}` (JSON) or `{kind: 'stream', …, open}` (server-sent events);
 * read-only routes need no token, actions do. Handlers read through `infra/operator/read-side/`.
 */
export const routes: readonly ApiRoute[] = [...sessionRoutes, ...streamRoutes, ...pipelineRoutes, ...runsRoutes, ...eventsRoutes, ...deadLettersRoutes, ...catalogRoutes, ...sqlRoutes, ...forecastsRoutes];
