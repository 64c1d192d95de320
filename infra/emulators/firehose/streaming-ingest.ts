import { datasetRoots } from '../../datasets/dataset-roots';
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import * as path from 'node:path';
import { z } from 'zod';
import { datasetDeliveryStream } from '../../datasets/dataset-delivery-stream';
import { FolderDatasetStore } from '../../datasets/folder-dataset-store';
import { readJsonFile, writeJsonFileAtomic } from '../bus/atomic-json-file';
import { bucketOf, Zone } from '../../local/lake-paths';
import { processAlive } from '../../local/process-alive';
import { FolderObjectStore } from '../object-store/folder-object-store';
import { DEFAULT_FIREHOSE_PORT, FirehoseEndpoint } from './firehose-endpoint';
import { LocalFirehose } from './local-firehose';

/** The local role ARN the pipeline's own streams name (nothing checks it locally). */
const LOCAL_ROLE_ARN = 'arn:aws:iam::000000000000:role/tributary-firehose';

/** Settings of {@link startStreamingIngest}. */
export interface StreamingIngestOptions {
  readonly home: string;
  /** The endpoint's port (0 = any free one). Default `$TRIBUTARY_FIREHOSE_PORT`, else 4573. */
  readonly port?: number;
  /** The buffering interval of the datasets' streams, in ms. Default `$TRIBUTARY_FIREHOSE_INTERVAL_MS`, else 1000. */
  readonly datasetIntervalMs?: number;
  /** Dataset manifests; default the shipped `sql/` folder. */
  readonly datasets?: FolderDatasetStore;
}

/** A running streaming-ingest service: the local Firehose and its endpoint. */
export interface StreamingIngest {
  readonly firehose: LocalFirehose;
  /** The endpoint URL (`AWS_ENDPOINT_URL_FIREHOSE`). */
  readonly url: string;
  /** Stops the endpoint, delivers what is buffered, closes the journal. */
  close(): Promise<void>;
}

const EndpointFileSchema = z.object({ url: z.string(), pid: z.number() });

/** Where a running ingest endpoint publishes its URL: `<home>/state/firehose/endpoint.json`. */
export function firehoseEndpointFile(home: string): string {
  return path.join(home, 'state', 'firehose', 'endpoint.json');
}

/** The URL of the Firehose endpoint `tributary up` serves for `home`, or undefined when none is running. */
export async function runningFirehoseUrl(home: string): Promise<string | undefined> {
  const parsed = EndpointFileSchema.safeParse(await readJsonFile(firehoseEndpointFile(home)));
  if (!parsed.success) return undefined;
  return processAlive(parsed.data.pid) ? parsed.data.url : undefined;
}

function envInteger(name: string): number | undefined {
  const text = process.env[name];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number >= 0, got ${JSON.stringify(text)}`);
  return value;
}

/**
 * Opens the local Firehose on `home` (delivering what a crash left in its journal), creates a
 * delivery stream for every JSON-lines dataset (named after it, into `raw/<dataset>/`), serves the
 * Firehose endpoint on loopback and publishes its URL in `state/firehose/endpoint.json`.
 */
export async function startStreamingIngest(options: StreamingIngestOptions): Promise<StreamingIngest> {
  const intervalMs = options.datasetIntervalMs ?? envInteger('TRIBUTARY_FIREHOSE_INTERVAL_MS') ?? 1000;
  const port = options.port ?? envInteger('TRIBUTARY_FIREHOSE_PORT') ?? DEFAULT_FIREHOSE_PORT;
  const firehose = await LocalFirehose.open({ dir: path.join(options.home, 'state', 'firehose'), objects: new FolderObjectStore({ home: options.home }) });
  try {
    const datasets = options.datasets ?? new FolderDatasetStore(datasetRoots(options.home));
    for (const name of await datasets.listDatasets()) {
      const dataset = await datasets.getDataset(name);
      const stream = dataset === undefined ? undefined : datasetDeliveryStream(dataset.manifest);
      if (stream === undefined) continue;
      await firehose.ensureDeliveryStream(() => ({
        id: randomUUID(),
        name: stream.name,
        createdAtMs: Date.now(),
        bucket: bucketOf(Zone.Raw),
        roleArn: LOCAL_ROLE_ARN,
        prefix: stream.prefix,
        sizeBytes: stream.sizeInMBs * 1024 * 1024,
        intervalMs,
        compression: 'UNCOMPRESSED',
        delimiter: stream.delimiter,
        fileExtension: stream.fileExtension,
        tags: [],
      }));
    }
    const endpoint = await FirehoseEndpoint.start(firehose, port);
    const file = firehoseEndpointFile(options.home);
    await writeJsonFileAtomic(file, { url: endpoint.url, pid: process.pid });
    return {
      firehose,
      url: endpoint.url,
      close: async () => {
        await rm(file, { force: true });
        await endpoint.close();
        await firehose.close();
      },
    };
  } catch (error) {
    await firehose.close();
    throw error;
  }
}
