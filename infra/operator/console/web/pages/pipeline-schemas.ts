import * as z from 'zod/mini';

const RetryPolicySchema = z.object({ maximumEventAgeInSeconds: z.number(), maximumRetryAttempts: z.number() });

/** A graph node as `/api/pipeline/graph` sends it. */
export const GraphNodeSchema = z.discriminatedUnion('kind', [
  z.object({ id: z.string(), kind: z.literal('service-event'), label: z.string() }),
  z.object({ id: z.string(), kind: z.literal('domain-event'), label: z.string() }),
  z.object({ id: z.string(), kind: z.literal('rule'), label: z.string(), description: z.string(), pattern: z.record(z.string(), z.unknown()), retryPolicy: RetryPolicySchema, deadLetterQueue: z.string(), target: z.string() }),
  z.object({ id: z.string(), kind: z.literal('stage'), label: z.string() }),
  z.object({ id: z.string(), kind: z.literal('dlq'), label: z.string() }),
]);
/** One node. */
export type GraphNode = z.infer<typeof GraphNodeSchema>;

/** `/api/pipeline/graph`. */
export const PipelineGraphSchema = z.object({
  nodes: z.array(GraphNodeSchema),
  edges: z.array(z.object({ from: z.string(), to: z.string(), kind: z.enum(['matches', 'targets', 'dead-letters', 'emits']) })),
});
/** The topology graph. */
export type PipelineGraph = z.infer<typeof PipelineGraphSchema>;

const RuleCountsSchema = z.object({ matched: z.number(), delivered: z.number(), retried: z.number(), deadLettered: z.number(), pending: z.number() });
/** Counts of one rule. */
export type RuleCounts = z.infer<typeof RuleCountsSchema>;

const LatencySchema = z.object({ stage: z.string(), runs: z.number(), medianMs: z.number(), maxMs: z.number(), medianWaitMs: z.number() });

/** `/api/pipeline/counts`: per-rule delivery counts, per-stage latency over recent runs. */
export const PipelineCountsSchema = z.object({
  rules: z.record(z.string(), RuleCountsSchema),
  stages: z.array(LatencySchema),
  endToEnd: LatencySchema,
  sampledRuns: z.number(),
});
/** Live counts. */
export type PipelineCounts = z.infer<typeof PipelineCountsSchema>;

/** `/api/pipeline/rules/:id/matches`: the rule's most recent matching events. */
export const RuleMatchesSchema = z.object({
  matches: z.array(z.object({ at: z.string(), id: z.string(), source: z.string(), detailType: z.string(), detail: z.unknown(), outcome: z.string() })),
});
/** Recent matches of a rule. */
export type RuleMatches = z.infer<typeof RuleMatchesSchema>;
