import type { ApiRoute } from './api-route';
import { awsActionRoutes, noAwsSourceRoutes, type AwsConsoleContext } from './aws-console-api';
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

/**
 * What `tributary console --aws` serves for the deployed stack: the read-only routes, the Dead letters
 * page and the Events page's replay through the CLI's `--aws` read side, and a plain 501 for every
 * page's call that has no AWS source.
 */
export const awsConsoleRoutes: readonly ApiRoute<AwsConsoleContext>[] = [...readOnlyRoutes, ...awsActionRoutes, ...noAwsSourceRoutes];
