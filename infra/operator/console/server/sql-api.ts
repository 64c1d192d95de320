import { z } from 'zod';
import { UnknownResultError } from '../../read-side/sql-read';
import { ConsoleApiError, type ApiRoute } from './api-route';
import { pageReaders } from './page-readers';
import { parseQuery } from './parse-query';

const RunBodySchema = z.object({ sql: z.string() });
const PageQuerySchema = z.object({ offset: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(5000).default(100) });

/** A held result's page or CSV; an id that is no longer held is a 404 telling to run the query again. */
function held<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof UnknownResultError) throw new ConsoleApiError(404, error.message);
    throw error;
  }
}

/**
 * The SQL page's API: `POST /api/sql` `{sql}` runs read-only Athena SQL (400 with the engine's
 * reason when it fails) and answers the result's id, columns, row count and first page;
 * `GET /api/sql/:id?offset&limit` pages it; `GET /api/sql/:id/csv` is the whole result as CSV text.
 * Read-only, so no token: a write statement fails in the engine.
 */
export const sqlRoutes: readonly ApiRoute[] = [
  {
    method: 'POST',
    path: '/api/sql',
    needsToken: false,
    handler: async (request, ctx) => {
      const body = RunBodySchema.safeParse(request.body);
      if (!body.success) throw new ConsoleApiError(400, 'sql: send {"sql": "SELECT …"}');
      const { results } = pageReaders(ctx);
      const result = await results.run(body.data.sql).catch((error: unknown) => {
        throw new ConsoleApiError(400, error instanceof Error ? error.message : String(error));
      });
      return { ...results.page(result.id, 0, 100), elapsedMs: result.elapsedMs };
    },
  },
  {
    method: 'GET',
    path: '/api/sql/:id',
    needsToken: false,
    handler: async (request, ctx) => {
      const { offset, limit } = parseQuery(PageQuerySchema, request.query);
      return held(() => pageReaders(ctx).results.page(request.params['id'] ?? '', offset, limit));
    },
  },
  {
    method: 'GET',
    path: '/api/sql/:id/csv',
    needsToken: false,
    handler: async (request, ctx) => ({ csv: held(() => pageReaders(ctx).results.csv(request.params['id'] ?? '')) }),
  },
];
