import { z } from 'zod';
import { InvalidCrawlerInputError } from '../../../handlers/ports/crawler';

const ConfigurationSchema = z.looseObject({
  Version: z.number(),
  Grouping: z
    .looseObject({
      TableGroupingPolicy: z.literal('CombineCompatibleSchemas').optional(),
      TableLevelConfiguration: z.number().int().positive().optional(),
    })
    .optional(),
  CrawlerOutput: z
    .looseObject({
      Tables: z.looseObject({ AddOrUpdateBehavior: z.literal('MergeNewColumns').optional(), TableThreshold: z.number().int().positive().optional() }).optional(),
      Partitions: z.looseObject({ AddOrUpdateBehavior: z.literal('InheritFromTable').optional() }).optional(),
    })
    .optional(),
});

/** The parts of Glue's crawler `Configuration` JSON the local crawler honours. */
export interface CrawlerOptions {
  readonly combineCompatible: boolean;
  readonly mergeNewColumns: boolean;
  readonly inheritFromTable: boolean;
  /** Fail the crawl, writing nothing, if it would produce more tables than this. */
  readonly tableThreshold?: number;
  /** `Grouping.TableLevelConfiguration`: the absolute folder level of every table root (1 = a bucket's top-level folders). */
  readonly tableLevel?: number;
}

/**
 * Parses a crawler's `Configuration` text. Unknown keys are ignored as Glue ignores options it does
 * not apply to S3 targets; a malformed document is rejected with InvalidCrawlerInputError rather
 * than silently crawled differently.
 */
export function parseCrawlerConfiguration(text: string | undefined): CrawlerOptions {
  if (text === undefined || text.trim() === '') return { combineCompatible: false, mergeNewColumns: false, inheritFromTable: false };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new InvalidCrawlerInputError(`Crawler Configuration is not JSON: ${text.slice(0, 80)}`, { cause: err });
  }
  const parsed = ConfigurationSchema.safeParse(raw);
  if (!parsed.success) throw new InvalidCrawlerInputError(`Crawler Configuration is invalid: ${parsed.error.message}`);
  const c = parsed.data;
  return {
    combineCompatible: c.Grouping?.TableGroupingPolicy === 'CombineCompatibleSchemas',
    mergeNewColumns: c.CrawlerOutput?.Tables?.AddOrUpdateBehavior === 'MergeNewColumns',
    inheritFromTable: c.CrawlerOutput?.Partitions?.AddOrUpdateBehavior === 'InheritFromTable',
    tableThreshold: c.CrawlerOutput?.Tables?.TableThreshold,
    tableLevel: c.Grouping?.TableLevelConfiguration,
  };
}
