import { z } from 'zod';

/**
 * A dataset name: the folder under `sql/`, the Glue table name stem. Lowercase because Glue and
 * Athena lowercase identifiers; no hyphens because Athena would need them quoted.
 */
export const DatasetNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,63}$/, 'expected a lowercase identifier (a-z, 0-9, _; starts with a letter; at most 64 characters)');

/** A pipeline run id: one per landed raw object, assigned by register-landing; the unit of lineage. */
export const RunIdSchema = z.string().min(1).max(256);

/**
 * The runs an event concerns (lineage). Unique, so consumers can count and diff them; producers
 * deduplicate when a batch merges several inputs.
 */
export const RunIdsSchema = z
  .array(RunIdSchema)
  .refine((ids) => new Set(ids).size === ids.length, 'run ids must be unique');

/** The lake zones; a local bucket is `tributary-<zone>`, an S3 bucket is configured per zone. */
export const Zone = {
  Raw: 'raw',
  Refined: 'refined',
  Forecast: 'forecast',
  Quarantine: 'quarantine',
} as const;

/** One lake zone. */
export type Zone = (typeof Zone)[keyof typeof Zone];

/** Any lake zone. */
export const ZoneSchema = z.enum([Zone.Raw, Zone.Refined, Zone.Forecast, Zone.Quarantine]);

/** The zones a crawler catalogs (quarantine holds rejected files and is never crawled). */
export const CrawledZoneSchema = z.enum([Zone.Raw, Zone.Refined, Zone.Forecast]);

/** An instant as ISO-8601 UTC (`2024-01-02T03:04:05Z`, fractional seconds allowed), as EventBridge writes `time`. */
export const IsoDateTimeSchema = z.iso.datetime();
