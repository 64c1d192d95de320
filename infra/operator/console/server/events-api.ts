import { z } from 'zod';
import { compileEventFilter, localReplayInput, parseReplayTime, readEventPage, replayableRules } from '../../read-side/events-read';
import { badRequestOn, ConsoleApiError, type ApiRoute } from './api-route';
import { parseQuery } from './parse-query';
import { streamAcceptedEvents } from './stream-api';

const PageQuerySchema = z.object({
  pattern: z.string().optional(),
  before: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

const ReplayBodySchema = z.object({ from: z.string(), to: z.string(), rule: z.string().min(1, 'choose the rule the replay goes to') });

/** A replay form's body (`{from, to, rule}`), or a 400 naming the field that is wrong. */
export function replayRequestOf(body: unknown): z.infer<typeof ReplayBodySchema> {
  const parsed = ReplayBodySchema.safeParse(body);
  if (!parsed.success) throw new ConsoleApiError(400, `replay: ${parsed.error.issues[0]?.path.join('.') ?? 'body'}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}

/** Compiles a pattern box's text, or answers 400 with EventBridge's own message. */
function filterOf(pattern: string | undefined): ReturnType<typeof compileEventFilter> & { ok: true } {
  const filter = compileEventFilter(pattern);
  if (!filter.ok) throw new ConsoleApiError(400, filter.message);
  return filter;
}

/**
 * The Events page's API:
 * - `GET /api/events?pattern&before&limit` — a page of the archived history, newest first, through an
 *   EventBridge pattern (400 with EventBridge's reason when it is not one);
 * - `GET /api/events/tail?pattern` (server-sent events) — the live tail through the same pattern,
 *   batched (`event: events`, `{events, dropped}`), or one `event: invalid` with the reason;
 * - `GET /api/events/rules` — the rules a replay can go to;
 * - `POST /api/events/replay` `{from, to, rule}` (token) — replays the archive window to one rule;
 *   `GET /api/events/replay/:name` — its state.
 */
export const eventsRoutes: readonly ApiRoute[] = [
  {
    method: 'GET',
    path: '/api/events',
    needsToken: false,
    handler: async (request, ctx) => {
      const { pattern, before, limit } = parseQuery(PageQuerySchema, request.query);
      return readEventPage(ctx.home, { filter: filterOf(pattern), limit, ...(before !== undefined ? { before } : {}) });
    },
  },
  {
    kind: 'stream',
    method: 'GET',
    path: '/api/events/tail',
    needsToken: false,
    open: (request, ctx, send) => {
      const filter = compileEventFilter(request.query.get('pattern') ?? undefined);
      if (!filter.ok) {
        send('invalid', { message: filter.message });
        return () => undefined;
      }
      return streamAcceptedEvents(ctx.runtime.bus, send, (accepted) => filter.matches(accepted.event));
    },
  },
  { method: 'GET', path: '/api/events/rules', needsToken: false, handler: async () => ({ rules: replayableRules() }) },
  {
    method: 'POST',
    path: '/api/events/replay',
    needsToken: true,
    handler: async (request, ctx) => {
      const { from, to, rule } = replayRequestOf(request.body);
      const name = `console-replay-${Date.now()}`;
      const input = badRequestOn(() => localReplayInput(name, { from: parseReplayTime('from', from), to: parseReplayTime('to', to), rules: [rule] }));
      const started = await ctx.runtime.bus.startReplay(input);
      return { name, state: started.State, rule };
    },
  },
  {
    method: 'GET',
    path: '/api/events/replay/:name',
    needsToken: false,
    handler: async (request, ctx) => {
      const replay = await ctx.runtime.bus.describeReplay({ ReplayName: request.params['name'] ?? '' });
      return { name: replay.ReplayName, state: replay.State, reason: replay.StateReason };
    },
  },
];
