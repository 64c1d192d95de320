import * as z from 'zod/mini';

const RunErrorSchema = z.object({ errorClass: z.string(), message: z.string(), retryable: z.boolean() });
const RowCountsSchema = z.object({ read: z.number(), refined: z.number(), rejected: z.number(), duplicates: z.number() });

/** A run as `/api/runs` lists it (the read side's RunSummary). */
export const RunSummarySchema = z.object({
  runId: z.string(),
  dataset: z.string(),
  object: z.object({ bucket: z.string(), key: z.string(), etag: z.string(), size: z.number() }),
  landedAt: z.string(),
  eventTimeRange: z.optional(z.object({ min: z.string(), max: z.string() })),
  lastStage: z.optional(z.string()),
  lastStatus: z.optional(z.string()),
  updatedAt: z.string(),
  error: z.optional(RunErrorSchema),
  rowCounts: z.optional(RowCountsSchema),
  rowsAtLanding: z.optional(z.number()),
});
/** A listed run. */
export type RunSummary = z.infer<typeof RunSummarySchema>;

/** `/api/runs`: one page, the total and the filter choices. */
export const RunListPageSchema = z.object({
  total: z.number(),
  offset: z.number(),
  runs: z.array(RunSummarySchema),
  facets: z.object({ datasets: z.array(z.string()), stages: z.array(z.string()), statuses: z.array(z.string()) }),
});

/** `/api/runs/:id`: the run, its stages as spans, lineage (and the catalog tables it lives in), timeline and row accounting. */
export const RunViewSchema = z.object({
  run: RunSummarySchema,
  stages: z.array(z.object({ stage: z.string(), status: z.string(), attempts: z.number(), startedAt: z.optional(z.string()), endedAt: z.optional(z.string()), updatedAt: z.string(), error: z.optional(RunErrorSchema) })),
  timeline: z.array(z.object({ at: z.string(), stage: z.string(), status: z.string(), error: z.optional(RunErrorSchema) })),
  lineage: z.array(z.object({ partition: z.string(), forecastOutputs: z.array(z.string()) })),
  spans: z.array(z.object({ stage: z.string(), status: z.string(), attempts: z.number(), queuedMs: z.number(), startMs: z.number(), endMs: z.number() })),
  tables: z.record(z.enum(['raw', 'refined', 'forecast']), z.object({ database: z.string(), table: z.string() })),
  rows: z.optional(z.object({ atLanding: z.optional(z.number()), read: z.number(), refined: z.number(), rejected: z.number(), duplicates: z.number(), balanced: z.boolean() })),
});
/** One run in detail. */
export type RunView = z.infer<typeof RunViewSchema>;
