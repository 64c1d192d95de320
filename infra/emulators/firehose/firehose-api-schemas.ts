import { z } from 'zod';
import { validationError } from './firehose-errors';

/** Each record's data limit, before base64: 1,000 KiB (Firehose's `Data` max length). */
export const MAX_RECORD_BYTES = 1_024_000;
/** Records per PutRecordBatch. */
export const MAX_BATCH_RECORDS = 500;
/** The whole PutRecordBatch request's data limit: 4 MiB. */
export const MAX_BATCH_BYTES = 4 * 1024 * 1024;

const constraint = (what: string): { message: string } => ({ message: `failed to satisfy constraint: ${what}` });

const StreamName = z
  .string(constraint('Member must not be null'))
  .min(1, constraint('Member must have length greater than or equal to 1'))
  .max(64, constraint('Member must have length less than or equal to 64'))
  .regex(/^[a-zA-Z0-9_.-]+$/, constraint('Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+'));

const Arn = z
  .string(constraint('Member must not be null'))
  .min(1, constraint('Member must have length greater than or equal to 1'))
  .regex(/^arn:.*/, constraint('Member must satisfy regular expression pattern: arn:.*'));

const BufferingHintsSchema = z.object({
  SizeInMBs: z
    .number()
    .int()
    .min(1, constraint('Member must have value greater than or equal to 1'))
    .max(128, constraint('Member must have value less than or equal to 128'))
    .optional(),
  IntervalInSeconds: z
    .number()
    .int()
    .min(0, constraint('Member must have value greater than or equal to 0'))
    .max(900, constraint('Member must have value less than or equal to 900'))
    .optional(),
});

const ProcessingConfigurationSchema = z.object({
  Enabled: z.boolean().optional(),
  Processors: z
    .array(
      z.object({
        Type: z.string(),
        Parameters: z.array(z.object({ ParameterName: z.string(), ParameterValue: z.string() })).optional(),
      }),
    )
    .optional(),
});

/** An S3 destination as CreateDeliveryStream takes it (`S3DestinationConfiguration` or the extended one). */
export const S3DestinationInputSchema = z.object({
  RoleARN: Arn,
  BucketARN: Arn,
  Prefix: z.string().max(1024, constraint('Member must have length less than or equal to 1024')).optional(),
  ErrorOutputPrefix: z.string().max(1024, constraint('Member must have length less than or equal to 1024')).optional(),
  BufferingHints: BufferingHintsSchema.optional(),
  CompressionFormat: z.enum(['UNCOMPRESSED', 'GZIP', 'ZIP', 'Snappy', 'HADOOP_SNAPPY'], constraint('Member must satisfy enum value set: [UNCOMPRESSED, GZIP, ZIP, Snappy, HADOOP_SNAPPY]')).optional(),
  ProcessingConfiguration: ProcessingConfigurationSchema.optional(),
  FileExtension: z.string().max(128, constraint('Member must have length less than or equal to 128')).optional(),
  CustomTimeZone: z.string().max(50, constraint('Member must have length less than or equal to 50')).optional(),
});

/** What an S3 destination configuration holds once parsed. */
export type S3DestinationInput = z.output<typeof S3DestinationInputSchema>;

/** CreateDeliveryStream's input; destinations other than S3 are kept only to be refused by name. */
export const CreateDeliveryStreamInputSchema = z.object({
  DeliveryStreamName: StreamName,
  DeliveryStreamType: z.enum(['DirectPut', 'KinesisStreamAsSource', 'MSKAsSource', 'DatabaseAsSource'], constraint('Member must satisfy enum value set: [DirectPut, KinesisStreamAsSource, MSKAsSource, DatabaseAsSource]')).optional(),
  S3DestinationConfiguration: S3DestinationInputSchema.optional(),
  ExtendedS3DestinationConfiguration: S3DestinationInputSchema.optional(),
  RedshiftDestinationConfiguration: z.unknown().optional(),
  ElasticsearchDestinationConfiguration: z.unknown().optional(),
  AmazonopensearchserviceDestinationConfiguration: z.unknown().optional(),
  SplunkDestinationConfiguration: z.unknown().optional(),
  HttpEndpointDestinationConfiguration: z.unknown().optional(),
  AmazonOpenSearchServerlessDestinationConfiguration: z.unknown().optional(),
  SnowflakeDestinationConfiguration: z.unknown().optional(),
  IcebergDestinationConfiguration: z.unknown().optional(),
  Tags: z.array(z.object({ Key: z.string(), Value: z.string().optional() })).max(50, constraint('Member must have length less than or equal to 50')).optional(),
});

/** DescribeDeliveryStream / DeleteDeliveryStream input. */
export const StreamRefInputSchema = z.object({ DeliveryStreamName: StreamName, AllowForceDelete: z.boolean().optional() });

/** ListDeliveryStreams input. */
export const ListDeliveryStreamsInputSchema = z.object({
  Limit: z
    .number()
    .int()
    .min(1, constraint('Member must have value greater than or equal to 1'))
    .max(10000, constraint('Member must have value less than or equal to 10000'))
    .optional(),
  DeliveryStreamType: z.string().optional(),
  ExclusiveStartDeliveryStreamName: StreamName.optional(),
});

/** One record's `Data` as the wire carries it: base64 text, checked for the 1,000 KiB limit decoded. */
const DataSchema = z.string(constraint('Member must not be null')).refine((b64) => decodedLength(b64) <= MAX_RECORD_BYTES, constraint(`Member must have length less than or equal to ${MAX_RECORD_BYTES}`));

/** PutRecord input. */
export const PutRecordInputSchema = z.object({ DeliveryStreamName: StreamName, Record: z.object({ Data: DataSchema }) });

/** PutRecordBatch input (1–500 records). */
export const PutRecordBatchInputSchema = z.object({
  DeliveryStreamName: StreamName,
  Records: z
    .array(z.object({ Data: DataSchema }), constraint('Member must not be null'))
    .min(1, constraint('Member must have length greater than or equal to 1'))
    .max(MAX_BATCH_RECORDS, constraint(`Member must have length less than or equal to ${MAX_BATCH_RECORDS}`)),
});

/** The byte length base64 text decodes to, without decoding it. */
export function decodedLength(b64: string): number {
  const padding = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  return Math.floor((b64.length * 3) / 4) - padding;
}

/** AWS names members camelCase in validation messages, list members 1-based: `records.3.member.data`. */
function wireName(segment: PropertyKey): string {
  if (typeof segment === 'number') return `${segment + 1}.member`;
  const text = String(segment);
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/**
 * Parses a Firehose request with its schema; violations become one `ValidationException` in AWS's
 * words: `1 validation error detected: Value at 'records.3.member.data' failed to satisfy constraint:
 * Member must have length less than or equal to 1024000` (AWS also quotes the value; it is left out).
 */
export function parseFirehoseInput<Schema extends z.ZodType>(schema: Schema, input: unknown): z.output<Schema> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => {
    const at = issue.path.map(wireName).join('.') || 'request';
    return `Value at '${at}' ${issue.message.startsWith('failed to satisfy') ? issue.message : `failed to satisfy constraint: ${issue.message}`}`;
  });
  throw validationError(`${issues.length} validation error${issues.length === 1 ? '' : 's'} detected: ${issues.join('; ')}`);
}
