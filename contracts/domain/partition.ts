import { z } from 'zod';

/**
 * One partition as a map from partition key to value, e.g. `{year:'2024',month:'01',day:'02',hour:'03'}`,
 * keys in the order of the dataset manifest's `partitioning.keys`.
 *
 * A map rather than a path string so that rules can match one key (`detail.partitions.year`) and
 * handlers never parse paths. Values are strings, as in the Glue catalog and in `key=value` folders;
 * they may not contain `/` or `=` because they become path segments.
 */
export const PartitionSchema = z
  .record(
    z.string().regex(/^[a-z][a-z0-9_]*$/, 'expected a lowercase partition key'),
    z.string().min(1).regex(/^[^/=]+$/, 'partition values may not contain "/" or "="'),
  )
  .refine((partition) => Object.keys(partition).length > 0, 'a partition needs at least one key');

/** A parsed partition value map. */
export type Partition = z.infer<typeof PartitionSchema>;

/** The partitions an event concerns; may be empty (a crawl that found nothing new, a file whose rows were all rejected). */
export const PartitionsSchema = z.array(PartitionSchema);
