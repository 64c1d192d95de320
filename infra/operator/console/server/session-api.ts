import type { ApiRoute } from './api-route';
import type { ReadContext } from './console-context';

/**
 * `GET /api/health` (read-only: the home served and the time) and `GET /api/session` (needs the
 * token: the page calls it to tell the operator whether its actions will be accepted).
 */
export const sessionRoutes: readonly ApiRoute<ReadContext>[] = [
  { method: 'GET', path: '/api/health', needsToken: false, handler: async (_request, ctx) => ({ home: ctx.home, at: new Date().toISOString() }) },
  { method: 'GET', path: '/api/session', needsToken: true, handler: async () => ({ actions: true }) },
];
