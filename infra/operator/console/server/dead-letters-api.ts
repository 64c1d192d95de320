import { z } from 'zod';
import { deadLetterRows, readAlerts, redriveDeadLetters, type DeadLetterSource } from '../../read-side/dead-letters-read';
import { ConsoleApiError, type ApiRoute } from './api-route';
import type { ConsoleContext } from './console-context';
import { parseQuery } from './parse-query';

const RedriveBodySchema = z.union([z.object({ all: z.literal(true) }), z.object({ queue: z.string().min(1), id: z.string().min(1) })]);
/** A redrive's body: `{queue, id}` names one message, `{all: true}` (undefined here) every one; else a 400. */
export function redriveTargetOf(body: unknown): { queue: string; id: string } | undefined {
  const parsed = RedriveBodySchema.safeParse(body);
  if (!parsed.success) throw new ConsoleApiError(400, 'redrive: send {"queue": Q, "id": M} for one message or {"all": true} for every one');
  return 'all' in parsed.data ? undefined : parsed.data;
}

const AlertsQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) });

/** The running pipeline's dead letters, as the read side takes them. */
function deadLetters(ctx: ConsoleContext): DeadLetterSource {
  const bus = ctx.runtime.bus;
  return {
    listDeadLetters: async () => bus.listDeadLetterQueues().flatMap((q) => bus.listDeadLetterMessages(q.queue)),
    redrive: (queue, id) => bus.redriveDeadLetterMessage(queue, id),
  };
}

/**
 * The Dead letters and alerts page's API: `GET /api/dead-letters` (every message with its error
 * attributes), `POST /api/dead-letters/redrive` `{queue, id}` or `{all: true}` (token) and
 * `GET /api/alerts?limit` (the newest alerts first).
 */
export const deadLettersRoutes: readonly ApiRoute[] = [
  {
    method: 'GET',
    path: '/api/dead-letters',
    needsToken: false,
    handler: async (_request, ctx) => ({ messages: deadLetterRows(await deadLetters(ctx).listDeadLetters()) }),
  },
  {
    method: 'POST',
    path: '/api/dead-letters/redrive',
    needsToken: true,
    handler: async (request, ctx) => {
      const one = redriveTargetOf(request.body);
      try {
        return await redriveDeadLetters(deadLetters(ctx), one);
      } catch (error) {
        throw new ConsoleApiError(404, error instanceof Error ? error.message : String(error));
      }
    },
  },
  {
    method: 'GET',
    path: '/api/alerts',
    needsToken: false,
    handler: async (request, ctx) => ({ alerts: await readAlerts(ctx.home, parseQuery(AlertsQuerySchema, request.query).limit) }),
  },
];
