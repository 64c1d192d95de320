import { promises as fs } from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  CreateDeliveryStreamCommand,
  DeleteDeliveryStreamCommand,
  DescribeDeliveryStreamCommand,
  FirehoseClient,
  InvalidArgumentException,
  ListDeliveryStreamsCommand,
  PutRecordBatchCommand,
  PutRecordCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  ServiceUnavailableException,
} from '@aws-sdk/client-firehose';
import { FirehoseEndpoint } from '../../../../infra/emulators/firehose/firehose-endpoint';
import { LocalFirehose } from '../../../../infra/emulators/firehose/local-firehose';
import { FolderObjectStore } from '../../../../infra/emulators/object-store/folder-object-store';
import { tempDirs } from '../../../integration/pipeline-harness';
import { allowViolations } from '../../aws/api-model/violation-log';

// The endpoint must refuse requests that break Firehose's API model itself: these tests send them on purpose.
allowViolations(/^Firehose \w+ request breaks the AWS API model: /);

const ROLE = 'arn:aws:iam::000000000000:role/firehose';
const RAW = 'arn:aws:s3:::tributary-raw';

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/')).sort();
}

describe('the local Firehose endpoint through @aws-sdk/client-firehose', () => {
  const dir = tempDirs();
  const open: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    for (const thing of open.splice(0).reverse()) await thing.close();
  });

  async function start(options: { maxBacklogBytes?: number } = {}): Promise<{ home: string; firehose: LocalFirehose; client: FirehoseClient }> {
    const home = await dir('firehose');
    const firehose = await LocalFirehose.open({ dir: path.join(home, 'state', 'firehose'), objects: new FolderObjectStore({ home }), ...options });
    const endpoint = await FirehoseEndpoint.start(firehose, 0);
    open.push(firehose, endpoint);
    const client = new FirehoseClient({ endpoint: endpoint.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    return { home, firehose, client };
  }

  it('creates, describes, lists (paging) and deletes delivery streams, with Firehose errors', async () => {
    const { client } = await start();
    const created = await client.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: 'clicks', ExtendedS3DestinationConfiguration: { RoleARN: ROLE, BucketARN: RAW, Prefix: 'clicks/', BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 }, CompressionFormat: 'GZIP' } }));
    expect(created.DeliveryStreamARN).toBe('arn:aws:firehose:us-east-1:000000000000:deliverystream/clicks');
    await client.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: 'views', S3DestinationConfiguration: { RoleARN: ROLE, BucketARN: RAW } }));
    await expect(client.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: 'views', S3DestinationConfiguration: { RoleARN: ROLE, BucketARN: RAW } }))).rejects.toThrow(ResourceInUseException);
    await expect(client.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: 'x', S3DestinationConfiguration: { RoleARN: ROLE, BucketARN: 'arn:aws:s3:::elsewhere' } }))).rejects.toThrow(InvalidArgumentException);
    await expect(client.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: 'x', ExtendedS3DestinationConfiguration: { RoleARN: ROLE, BucketARN: RAW, BufferingHints: { SizeInMBs: 129 } } }))).rejects.toThrow(
      "1 validation error detected: Value at 'extendedS3DestinationConfiguration.bufferingHints.sizeInMBs' failed to satisfy constraint: Member must have value less than or equal to 128",
    );
    await expect(client.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: 'x', ExtendedS3DestinationConfiguration: { RoleARN: ROLE, BucketARN: RAW, BufferingHints: { IntervalInSeconds: 901 } } }))).rejects.toThrow('Member must have value less than or equal to 900');
    await expect(client.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: 'bad name', S3DestinationConfiguration: { RoleARN: ROLE, BucketARN: RAW } }))).rejects.toThrow('regular expression pattern');

    const described = (await client.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'clicks' }))).DeliveryStreamDescription;
    expect(described).toMatchObject({ DeliveryStreamName: 'clicks', DeliveryStreamStatus: 'ACTIVE', DeliveryStreamType: 'DirectPut', HasMoreDestinations: false });
    expect(described?.CreateTimestamp).toBeInstanceOf(Date);
    expect(described?.Destinations?.[0]?.ExtendedS3DestinationDescription).toMatchObject({ BucketARN: RAW, Prefix: 'clicks/', CompressionFormat: 'GZIP', BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 } });

    expect(await client.send(new ListDeliveryStreamsCommand({}))).toMatchObject({ DeliveryStreamNames: ['clicks', 'views'], HasMoreDeliveryStreams: false });
    expect(await client.send(new ListDeliveryStreamsCommand({ Limit: 1 }))).toMatchObject({ DeliveryStreamNames: ['clicks'], HasMoreDeliveryStreams: true });
    expect(await client.send(new ListDeliveryStreamsCommand({ Limit: 1, ExclusiveStartDeliveryStreamName: 'clicks' }))).toMatchObject({ DeliveryStreamNames: ['views'], HasMoreDeliveryStreams: false });

    await client.send(new DeleteDeliveryStreamCommand({ DeliveryStreamName: 'views' }));
    const missing = client.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'views' }));
    await expect(missing).rejects.toThrow(ResourceNotFoundException);
    await expect(missing).rejects.toThrow('Firehose views under account 000000000000 not found.');
    await expect(client.send(new DeleteDeliveryStreamCommand({ DeliveryStreamName: 'views' }))).rejects.toThrow(ResourceNotFoundException);
  });

  it('puts records and delivers them as Firehose-named objects with a delimiter, and as gzip', async () => {
    const { home, firehose, client } = await start();
    const delimiter = { Enabled: true, Processors: [{ Type: 'AppendDelimiterToRecord' as const }] };
    await client.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: 'lines', ExtendedS3DestinationConfiguration: { RoleARN: ROLE, BucketARN: RAW, Prefix: 'lines/', FileExtension: '.jsonl', ProcessingConfiguration: delimiter, BufferingHints: { IntervalInSeconds: 900 } } }));
    await client.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: 'zipped', ExtendedS3DestinationConfiguration: { RoleARN: ROLE, BucketARN: RAW, Prefix: 'zipped/', CompressionFormat: 'GZIP', BufferingHints: { IntervalInSeconds: 900 } } }));
    const one = await client.send(new PutRecordCommand({ DeliveryStreamName: 'lines', Record: { Data: Buffer.from('{"a":1}') } }));
    expect(one.RecordId).toMatch(/^[0-9a-f]{56}$/);
    const batch = await client.send(new PutRecordBatchCommand({ DeliveryStreamName: 'lines', Records: [{ Data: Buffer.from('{"a":2}') }, { Data: Buffer.from('{"a":3}') }] }));
    expect(batch.FailedPutCount).toBe(0);
    expect(batch.RequestResponses?.map((r) => r.RecordId?.length)).toEqual([56, 56]);
    await client.send(new PutRecordBatchCommand({ DeliveryStreamName: 'zipped', Records: [{ Data: Buffer.from('x|') }, { Data: Buffer.from('y|') }] }));
    await firehose.drain();

    const files = await filesUnder(path.join(home, 'lake', 'raw'));
    expect(files).toHaveLength(2);
    const lines = files.find((f) => f.startsWith('lines/')) ?? '';
    expect(lines).toMatch(/^lines\/\d{4}\/\d{2}\/\d{2}\/\d{2}\/lines-1-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}-[0-9a-f-]{36}\.jsonl$/);
    const [, y, mo, d, h] = /^lines\/(\d{4})\/(\d{2})\/(\d{2})\/(\d{2})\//.exec(lines) ?? [];
    expect(lines).toContain(`lines-1-${y}-${mo}-${d}-${h}-`);
    expect(await fs.readFile(path.join(home, 'lake', 'raw', lines), 'utf8')).toBe('{"a":1}\n{"a":2}\n{"a":3}\n');
    const zipped = files.find((f) => f.startsWith('zipped/')) ?? '';
    expect(zipped).toMatch(/\/zipped-1-[0-9-]{19}-[0-9a-f-]{36}\.gz$/);
    expect(gunzipSync(await fs.readFile(path.join(home, 'lake', 'raw', zipped))).toString('utf8')).toBe('x|y|');
  });

  it('delivers by size, and holds the 500-record and 4 MiB limits of PutRecordBatch', async () => {
    const { home, client } = await start();
    await client.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: 'big', ExtendedS3DestinationConfiguration: { RoleARN: ROLE, BucketARN: RAW, Prefix: 'big/', BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 900 } } }));
    const records = (n: number, bytes: number) => Array.from({ length: n }, () => ({ Data: Buffer.alloc(bytes, 97) }));
    await expect(client.send(new PutRecordBatchCommand({ DeliveryStreamName: 'big', Records: records(501, 1) }))).rejects.toThrow(
      "1 validation error detected: Value at 'records' failed to satisfy constraint: Member must have length less than or equal to 500",
    );
    await expect(client.send(new PutRecordBatchCommand({ DeliveryStreamName: 'big', Records: [] }))).rejects.toThrow('Member must have length greater than or equal to 1');
    const tooBig = client.send(new PutRecordBatchCommand({ DeliveryStreamName: 'big', Records: records(5, 900_000) }));
    await expect(tooBig).rejects.toThrow(InvalidArgumentException);
    await expect(tooBig).rejects.toThrow('Records size exceeds 4 MB limit');
    await expect(client.send(new PutRecordBatchCommand({ DeliveryStreamName: 'big', Records: [{ Data: Buffer.alloc(1) }, { Data: Buffer.alloc(1_024_001) }] }))).rejects.toThrow(
      "1 validation error detected: Value at 'records.2.member.data' failed to satisfy constraint: Member must have length less than or equal to 1024000",
    );
    await expect(client.send(new PutRecordCommand({ DeliveryStreamName: 'big', Record: { Data: Buffer.alloc(1_024_001) } }))).rejects.toThrow("Value at 'record.data' failed to satisfy constraint: Member must have length less than or equal to 1024000");
    await expect(client.send(new PutRecordBatchCommand({ DeliveryStreamName: 'nope', Records: records(1, 1) }))).rejects.toThrow(ResourceNotFoundException);
    expect(await filesUnder(path.join(home, 'lake', 'raw'))).toEqual([]);

    const full = await client.send(new PutRecordBatchCommand({ DeliveryStreamName: 'big', Records: records(4, 1_000_000) }));
    expect(full.FailedPutCount).toBe(0);
    await client.send(new PutRecordBatchCommand({ DeliveryStreamName: 'big', Records: records(500, 10) }));
    for (let i = 0; i < 100 && (await filesUnder(path.join(home, 'lake', 'raw'))).length === 0; i += 1) await new Promise((r) => setTimeout(r, 50));
    const files = await filesUnder(path.join(home, 'lake', 'raw'));
    expect(files).toHaveLength(1);
    expect((await fs.stat(path.join(home, 'lake', 'raw', files[0] ?? ''))).size).toBe(4_000_000);
  });

  it('fails single records with ServiceUnavailableException once the backlog is full, and PutRecord throws it', async () => {
    const { client } = await start({ maxBacklogBytes: 25 });
    await client.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: 'slow', ExtendedS3DestinationConfiguration: { RoleARN: ROLE, BucketARN: RAW, BufferingHints: { IntervalInSeconds: 900 } } }));
    const result = await client.send(new PutRecordBatchCommand({ DeliveryStreamName: 'slow', Records: Array.from({ length: 4 }, () => ({ Data: Buffer.alloc(10) })) }));
    expect(result.FailedPutCount).toBe(2);
    expect(result.RequestResponses?.map((r) => r.ErrorCode ?? 'ok')).toEqual(['ok', 'ok', 'ServiceUnavailableException', 'ServiceUnavailableException']);
    expect(result.RequestResponses?.[2]?.ErrorMessage).toBe('Slow down.');
    await expect(client.send(new PutRecordCommand({ DeliveryStreamName: 'slow', Record: { Data: Buffer.alloc(10) } }))).rejects.toThrow(ServiceUnavailableException);
  });

  it('delivers journaled records after a restart, and refuses a non-loopback Host', async () => {
    const { home, client } = await start();
    await client.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: 'kept', ExtendedS3DestinationConfiguration: { RoleARN: ROLE, BucketARN: RAW, Prefix: 'kept/', BufferingHints: { IntervalInSeconds: 900 } } }));
    await client.send(new PutRecordBatchCommand({ DeliveryStreamName: 'kept', Records: [{ Data: Buffer.from('a') }, { Data: Buffer.from('b') }] }));
    const reopened = await LocalFirehose.open({ dir: path.join(home, 'state', 'firehose'), objects: new FolderObjectStore({ home }) });
    open.push(reopened);
    await reopened.drain();
    const files = await filesUnder(path.join(home, 'lake', 'raw'));
    expect(files).toHaveLength(1);
    expect(await fs.readFile(path.join(home, 'lake', 'raw', files[0] ?? ''), 'utf8')).toBe('ab');

    const endpoint = open.find((o): o is FirehoseEndpoint => o instanceof FirehoseEndpoint);
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const request = http.request(endpoint?.url ?? '', { method: 'POST', headers: { host: 'evil.example', 'x-amz-target': 'Firehose_20150804.ListDeliveryStreams' } }, (response) => {
        response.resume();
        resolve(response.statusCode);
      });
      request.on('error', reject);
      request.end('{}');
    });
    expect(status).toBe(403);
  });
});
