import { z } from 'zod';
import { pipelineGraph } from '../../read-side/pipeline-graph';
import { stageLatencies } from '../../read-side/stage-latency';
import { ConsoleApiError, type ApiRoute } from './api-route';
import type { ReadContext } from './console-context';
import { parseQuery } from './parse-query';

/** Stage latency is taken over this many most recent runs (one read each). */
const LATENCY_SAMPLE = 100;

const MatchesQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(50).default(15) });

/** `GET /api/pipeline/graph` — the installed topology as nodes and edges (the rule table's, on either realisation). */
export const pipelineGraphRoutes: readonly ApiRoute<ReadContext>[] = [
  { method: 'GET', path: '/api/pipeline/graph', needsToken: false, handler: async () => pipelineGraph() },
];

/**
 * `GET /api/pipeline/counts` —
 * per-rule counts (matched, delivered, retried, dead-lettered, pending) and per-stage latency over the
 * most recent runs; `GET /api/pipeline/rules/:id/matches?limit` — a rule's recent matches.
 */
export const pipelineRoutes: readonly ApiRoute[] = [
  {
    method: 'GET',
    path: '/api/pipeline/counts',
    needsToken: false,
    handler: async (_request, ctx) => {
      await ctx.activity.refresh();
      const recent = await ctx.runs.listRuns({ limit: LATENCY_SAMPLE });
      const latency = await stageLatencies(ctx.runs, recent.runs.map((r) => r.runId));
      return { rules: ctx.activity.counts(), stages: latency.stages, endToEnd: latency.endToEnd, sampledRuns: recent.runs.length };
    },
  },
  {
    method: 'GET',
    path: '/api/pipeline/rules/:id/matches',
    needsToken: false,
    handler: async (request, ctx) => {
      const { limit } = parseQuery(MatchesQuerySchema, request.query);
      await ctx.activity.refresh();
      const matches = ctx.activity.recentMatches(request.params['id'] ?? '', limit);
      if (!matches) throw new ConsoleApiError(404, `no rule ${request.params['id'] ?? ''} in the rule table`);
      return { matches };
    },
  },
];
