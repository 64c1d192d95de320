import { FirehoseClient } from '@aws-sdk/client-firehose';
import { sendRecords } from '../emulators/firehose/send-records';
import { runningFirehoseUrl } from '../emulators/firehose/streaming-ingest';
import { simulateTraffic, type TrafficSimulationOptions } from './traffic-simulation';

/** What `sample traffic --stream` sent. */
export interface StreamedSample {
  readonly endpoint: string;
  readonly rows: number;
  readonly resent: number;
}

/**
 * Sends the traffic sample's lines, in arrival order, as records of the dataset's delivery stream
 * (one JSON object per record; the stream appends the newline) through the unmodified Firehose client,
 * to `endpoint` or the endpoint of the `tributary up` running on `home`.
 */
export async function streamTrafficSample(options: TrafficSimulationOptions & { readonly home: string; readonly dataset: string; readonly endpoint?: string | undefined }): Promise<StreamedSample> {
  const endpoint = options.endpoint ?? (await runningFirehoseUrl(options.home));
  if (endpoint === undefined) throw new Error(`no \`tributary up\` is serving a Firehose endpoint for home ${options.home}; start it (or give --endpoint URL)`);
  const lines = simulateTraffic(options)
    .slice()
    .sort((a, b) => a.arrivalTimeMs - b.arrivalTimeMs);
  const records = lines.map((line) => Buffer.from(JSON.stringify(line.record), 'utf8'));
  const client = new FirehoseClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    const summary = await sendRecords(client, options.dataset, records, { concurrency: 4 });
    return { endpoint, rows: summary.acknowledged, resent: summary.resent };
  } finally {
    client.destroy();
  }
}
