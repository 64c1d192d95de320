import { readCatalog, readCatalogTable, readSchemaChanges } from '../../read-side/catalog-read';
import { ConsoleApiError, type ApiRoute } from './api-route';

/**
 * The Catalog page's API: `GET /api/catalog` (databases and their tables, with the schema changes
 * of every table over time) and `GET /api/catalog/:database/:table` (columns and types, partitions,
 * the view's SQL, and that table's schema changes).
 */
export const catalogRoutes: readonly ApiRoute[] = [
  {
    method: 'GET',
    path: '/api/catalog',
    needsToken: false,
    handler: async (_request, ctx) => ({ databases: await readCatalog(ctx.runtime.deps.catalog), changes: await readSchemaChanges(ctx.home) }),
  },
  {
    method: 'GET',
    path: '/api/catalog/:database/:table',
    needsToken: false,
    handler: async (request, ctx) => {
      const database = request.params['database'] ?? '';
      const table = request.params['table'] ?? '';
      const detail = await readCatalogTable(ctx.runtime.deps.catalog, database, table).catch((error: unknown) => {
        throw new ConsoleApiError(404, error instanceof Error ? error.message : String(error));
      });
      if (detail === undefined) throw new ConsoleApiError(404, `no table ${database}.${table} in the catalog`);
      return { table: detail, changes: await readSchemaChanges(ctx.home, { database, table }) };
    },
  },
];
