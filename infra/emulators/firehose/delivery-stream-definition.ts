import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { zoneOfBucket } from '../../local/lake-paths';
import type { S3DestinationInput } from './firehose-api-schemas';
import { invalidArgument, LOCAL_ACCOUNT } from './firehose-errors';

const MIB = 1024 * 1024;
/** Firehose's default buffering for S3 destinations: 5 MiB or 300 s, whichever comes first. */
const DEFAULT_SIZE_MB = 5;
const DEFAULT_INTERVAL_S = 300;

/** A delivery stream as the local service keeps it (`state/firehose/streams.json`). */
export const DeliveryStreamDefinitionSchema = z.object({
  /** Identifies this incarnation in the journal: a stream deleted and created again is a new id. */
  id: z.string(),
  name: z.string(),
  createdAtMs: z.number(),
  bucket: z.string(),
  roleArn: z.string(),
  prefix: z.string(),
  errorOutputPrefix: z.string().optional(),
  sizeBytes: z.number().int().positive(),
  /** The buffering interval in ms; the API's whole seconds, or shorter for the pipeline's own streams. */
  intervalMs: z.number().int().nonnegative(),
  compression: z.enum(['UNCOMPRESSED', 'GZIP']),
  /** Appended after every record (Firehose's AppendDelimiterToRecord processor), if set. */
  delimiter: z.string().optional(),
  fileExtension: z.string().optional(),
  tags: z.array(z.object({ Key: z.string(), Value: z.string().optional() })).default([]),
});

/** A delivery stream as the local service keeps it. */
export type DeliveryStreamDefinition = z.output<typeof DeliveryStreamDefinitionSchema>;

/** The ARN of a local delivery stream. */
export function deliveryStreamArn(name: string): string {
  return `arn:aws:firehose:us-east-1:${LOCAL_ACCOUNT}:deliverystream/${name}`;
}

function delimiterOf(config: S3DestinationInput): string | undefined {
  const processing = config.ProcessingConfiguration;
  if (processing?.Enabled !== true) return undefined;
  let delimiter: string | undefined;
  for (const processor of processing.Processors ?? []) {
    if (processor.Type !== 'AppendDelimiterToRecord') throw invalidArgument(`Processor type ${processor.Type} is not supported by the local Firehose; only AppendDelimiterToRecord is`);
    const given = processor.Parameters?.find((p) => p.ParameterName === 'Delimiter')?.ParameterValue;
    delimiter = given === undefined ? '\n' : given.replace(/\\n/g, '\n').replace(/\\t/g, '\t').replace(/\\r/g, '\r');
  }
  return delimiter;
}

/**
 * Turns an S3 destination configuration into a definition, refusing (InvalidArgumentException, naming
 * the member) what the local service cannot honour: a bucket that is not a lake zone, compression
 * other than GZIP, processors other than AppendDelimiterToRecord, `!{…}` prefix expressions.
 */
export function defineDeliveryStream(name: string, config: S3DestinationInput, tags: DeliveryStreamDefinition['tags'], createdAtMs: number): DeliveryStreamDefinition {
  const bucket = /^arn:aws[a-z-]*:s3:::([^/]+)$/.exec(config.BucketARN)?.[1];
  if (bucket === undefined || zoneOfBucket(bucket) === undefined) throw invalidArgument(`BucketARN ${config.BucketARN} is not a local lake bucket (arn:aws:s3:::tributary-raw, -refined, -forecast)`);
  const prefix = config.Prefix ?? '';
  if (prefix.includes('!{')) throw invalidArgument(`Prefix ${prefix} uses !{...} expressions, which the local Firehose does not evaluate; use a plain prefix (objects go under <prefix>YYYY/MM/DD/HH/)`);
  const compression = config.CompressionFormat ?? 'UNCOMPRESSED';
  if (compression !== 'UNCOMPRESSED' && compression !== 'GZIP') throw invalidArgument(`CompressionFormat ${compression} is not supported by the local Firehose; use UNCOMPRESSED or GZIP`);
  if (config.CustomTimeZone !== undefined && config.CustomTimeZone !== 'UTC') throw invalidArgument(`CustomTimeZone ${config.CustomTimeZone} is not supported by the local Firehose; object prefixes are in UTC`);
  if (config.FileExtension !== undefined && !/^$|^\.[0-9a-z!\-_.*'()]+$/.test(config.FileExtension)) throw invalidArgument(`FileExtension ${config.FileExtension} must start with a period and hold only 0-9 a-z ! - _ . * ' ( )`);
  return {
    id: randomUUID(),
    name,
    createdAtMs,
    bucket,
    roleArn: config.RoleARN,
    prefix,
    ...(config.ErrorOutputPrefix === undefined ? {} : { errorOutputPrefix: config.ErrorOutputPrefix }),
    sizeBytes: (config.BufferingHints?.SizeInMBs ?? DEFAULT_SIZE_MB) * MIB,
    intervalMs: (config.BufferingHints?.IntervalInSeconds ?? DEFAULT_INTERVAL_S) * 1000,
    compression,
    ...(delimiterOf(config) === undefined ? {} : { delimiter: delimiterOf(config) }),
    ...(config.FileExtension === undefined || config.FileExtension === '' ? {} : { fileExtension: config.FileExtension }),
    tags,
  };
}

/**
 * The key Firehose gives an object whose first record arrived at `arrivalMs`:
 * `<prefix>YYYY/MM/DD/HH/<stream>-<version>-YYYY-MM-DD-HH-MM-SS-<uuid><extension>` in UTC; the
 * extension is the configured one, else `.gz` for GZIP, else none.
 */
export function deliveredObjectKey(stream: DeliveryStreamDefinition, arrivalMs: number, uuid: string): string {
  const iso = new Date(arrivalMs).toISOString();
  const folder = `${iso.slice(0, 4)}/${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(11, 13)}/`;
  const stamp = `${iso.slice(0, 10)}-${iso.slice(11, 19).replace(/:/g, '-')}`;
  const extension = stream.fileExtension ?? (stream.compression === 'GZIP' ? '.gz' : '');
  return `${stream.prefix}${folder}${stream.name}-1-${stamp}-${uuid}${extension}`;
}

/** DescribeDeliveryStream's `DeliveryStreamDescription` of a definition. */
export function describeDeliveryStream(stream: DeliveryStreamDefinition): Record<string, unknown> {
  const destination = {
    RoleARN: stream.roleArn,
    BucketARN: `arn:aws:s3:::${stream.bucket}`,
    Prefix: stream.prefix,
    ErrorOutputPrefix: stream.errorOutputPrefix,
    BufferingHints: { SizeInMBs: Math.round(stream.sizeBytes / MIB), IntervalInSeconds: Math.round(stream.intervalMs / 1000) },
    CompressionFormat: stream.compression,
    EncryptionConfiguration: { NoEncryptionConfig: 'NoEncryption' },
    FileExtension: stream.fileExtension,
  };
  const processing = stream.delimiter === undefined ? { Enabled: false, Processors: [] } : { Enabled: true, Processors: [{ Type: 'AppendDelimiterToRecord', Parameters: [{ ParameterName: 'Delimiter', ParameterValue: JSON.stringify(stream.delimiter).slice(1, -1) }] }] };
  return {
    DeliveryStreamName: stream.name,
    DeliveryStreamARN: deliveryStreamArn(stream.name),
    DeliveryStreamStatus: 'ACTIVE',
    DeliveryStreamEncryptionConfiguration: { Status: 'DISABLED' },
    DeliveryStreamType: 'DirectPut',
    VersionId: '1',
    CreateTimestamp: new Date(stream.createdAtMs),
    Destinations: [{ DestinationId: 'destinationId-000000000001', S3DestinationDescription: destination, ExtendedS3DestinationDescription: { ...destination, ProcessingConfiguration: processing, S3BackupMode: 'Disabled' } }],
    HasMoreDestinations: false,
  };
}
