import { z } from 'zod';
import { localTopologyNames } from '../../../../events/topology-names';
import { StageStatus } from '../../../../handlers/ports/run-store';
import { pageRuns } from '../../read-side/run-listing';
import { describeRun } from '../../read-side/run-view';
import { ConsoleApiError, type ApiRoute } from './api-route';
import type { ReadContext } from './console-context';
import { parseQuery } from './parse-query';

const isoTime = (name: string) => z.string().refine((v) => !Number.isNaN(Date.parse(v)), { message: `${name} must be an ISO-8601 time` });

const RunsQuerySchema = z.object({
  dataset: z.string().min(1).optional(),
  status: z.enum(Object.values(StageStatus)).optional(),
  stage: z.string().min(1).optional(),
  from: isoTime('from').optional(),
  to: isoTime('to').optional(),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

/** The resource prefix of what the context reads: the deployed stack's (`aws:<prefix>`), else the local one. */
function resourcePrefixOf(home: string): string {
  return home.startsWith('aws:') ? home.slice('aws:'.length) : localTopologyNames.resourcePrefix;
}

/**
 * `GET /api/runs?dataset&status&stage&from&to&offset&limit` — a filtered page of runs, newest first,
 * with the total and the filter choices; `GET /api/runs/:id` — one run with its stage spans, lineage
 * and row accounting, and the catalog tables its lineage lives in (`tables.raw|refined|forecast`).
 */
export const runsRoutes: readonly ApiRoute<ReadContext>[] = [
  {
    method: 'GET',
    path: '/api/runs',
    needsToken: false,
    handler: async (request, ctx) => {
      const { offset, limit, ...filter } = parseQuery(RunsQuerySchema, request.query);
      return pageRuns(await ctx.runList.get(), filter, { offset, limit });
    },
  },
  {
    method: 'GET',
    path: '/api/runs/:id',
    needsToken: false,
    handler: async (request, ctx) => {
      const id = request.params['id'] ?? '';
      const view = await describeRun(ctx.runs, id);
      if (!view) throw new ConsoleApiError(404, `no run ${id}`);
      // Where the lineage's tables are in the catalog (the catalog page's route is #/catalog/<database>/<table>).
      const prefix = resourcePrefixOf(ctx.home);
      const tables = { raw: { database: `${prefix}_raw`, table: view.run.dataset }, refined: { database: `${prefix}_refined`, table: view.run.dataset }, forecast: { database: `${prefix}_forecast`, table: view.run.dataset } };
      return { ...view, tables };
    },
  },
];
