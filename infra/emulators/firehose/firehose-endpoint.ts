import { toWire } from '../bus/json-wire';
import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { hasErrnoCode } from '../bus/errno';
import { foreignHostMessage, isLoopbackHost } from '../bus/loopback-host';
import { PortInUseError } from '../bus/port-in-use-error';
import { CreateDeliveryStreamInputSchema, ListDeliveryStreamsInputSchema, parseFirehoseInput, PutRecordBatchInputSchema, PutRecordInputSchema, StreamRefInputSchema } from './firehose-api-schemas';
import { FirehoseError } from './firehose-errors';
import type { LocalFirehose } from './local-firehose';

/** The port the Firehose endpoint listens on by default (LocalStack's historical Firehose port). */
export const DEFAULT_FIREHOSE_PORT = 4573;
/** Bodies above this are refused before parsing (4 MiB of data is ~5.6 MB of base64). */
const MAX_BODY_BYTES = 16 * 1024 * 1024;
const TARGET_PREFIX = 'Firehose_20150804.';

type Operation = (firehose: LocalFirehose, input: unknown) => Promise<unknown> | unknown;

/** The Firehose operations the endpoint answers, by `X-Amz-Target` suffix. */
const operations: Readonly<Record<string, Operation>> = {
  CreateDeliveryStream: (f, input) => f.createDeliveryStream(parseFirehoseInput(CreateDeliveryStreamInputSchema, input)),
  DescribeDeliveryStream: (f, input) => f.describeDeliveryStream(parseFirehoseInput(StreamRefInputSchema, input).DeliveryStreamName),
  ListDeliveryStreams: (f, input) => f.listDeliveryStreams(parseFirehoseInput(ListDeliveryStreamsInputSchema, input)),
  DeleteDeliveryStream: (f, input) => f.deleteDeliveryStream(parseFirehoseInput(StreamRefInputSchema, input).DeliveryStreamName),
  PutRecord: async (f, input) => {
    const request = parseFirehoseInput(PutRecordInputSchema, input);
    const [result] = await f.putRecords(request.DeliveryStreamName, [request.Record.Data]);
    if (result === undefined || !('RecordId' in result)) throw new FirehoseError(result?.ErrorCode ?? 'ServiceUnavailableException', result?.ErrorMessage ?? 'Slow down.', { retryable: true });
    return { RecordId: result.RecordId, Encrypted: false };
  },
  PutRecordBatch: async (f, input) => {
    const request = parseFirehoseInput(PutRecordBatchInputSchema, input);
    const results = await f.putRecords(request.DeliveryStreamName, request.Records.map((r) => r.Data));
    return { FailedPutCount: results.filter((r) => 'ErrorCode' in r).length, Encrypted: false, RequestResponses: results };
  },
};

function send(response: http.ServerResponse, status: number, body: unknown, errorType?: string): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
    ...(errorType === undefined ? {} : { 'x-amzn-errortype': errorType }),
  });
  response.end(text);
}

function sendError(response: http.ServerResponse, status: number, type: string, message: string): void {
  send(response, status, { __type: type, message }, type);
}

/**
 * The local Firehose behind Firehose's JSON 1.1 protocol on 127.0.0.1, for the unmodified
 * `@aws-sdk/client-firehose` (endpoint `http://127.0.0.1:<port>`, any credentials): `POST /` with
 * `X-Amz-Target: Firehose_20150804.<Operation>`; errors are `{"__type", "message"}` (400, or 503 for
 * ServiceUnavailableException, which the SDK retries). SigV4 is accepted and ignored. Only loopback
 * `Host`s are answered (403 otherwise), as for the EventBridge endpoint.
 */
export class FirehoseEndpoint {
  private constructor(private readonly server: http.Server) {}

  /** Listens on 127.0.0.1:`port` (0 = any free port); a taken port is a PortInUseError. */
  static async start(firehose: LocalFirehose, port: number): Promise<FirehoseEndpoint> {
    const server = http.createServer((request, response) => void handle(firehose, request, response));
    server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve, reject) => {
      const failed = (error: Error): void => reject(hasErrnoCode(error, 'EADDRINUSE') ? new PortInUseError(port, error) : error);
      server.once('error', failed);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', failed);
        resolve();
      });
    });
    return new FirehoseEndpoint(server);
  }

  /** The endpoint URL to give the SDK (`http://127.0.0.1:<port>`). */
  get url(): string {
    const address: AddressInfo | string | null = this.server.address();
    return `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  }

  /** Stops accepting connections and closes open ones. */
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

async function handle(firehose: LocalFirehose, request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
  try {
    if (!isLoopbackHost(request.headers.host)) {
      request.resume();
      return sendError(response, 403, 'AccessDeniedException', foreignHostMessage(request.headers.host));
    }
    const target = request.headers['x-amz-target'];
    const name = typeof target === 'string' && target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : undefined;
    const operation = name === undefined ? undefined : operations[name];
    if (request.method !== 'POST' || operation === undefined) {
      request.resume();
      return sendError(response, 400, 'UnknownOperationException', `Unsupported operation ${request.method ?? ''} ${String(target)}; the local Firehose answers POST / with X-Amz-Target ${TARGET_PREFIX}{${Object.keys(operations).join(',')}}`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of request) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      size += buffer.length;
      if (size > MAX_BODY_BYTES) return sendError(response, 413, 'InvalidArgumentException', 'Request body is too large.');
      chunks.push(buffer);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    let input: unknown;
    try {
      input = text.trim() === '' ? {} : JSON.parse(text);
    } catch {
      return sendError(response, 400, 'SerializationException', 'Request body is not valid JSON.');
    }
    send(response, 200, toWire(await operation(firehose, input)));
  } catch (error) {
    if (error instanceof FirehoseError) return sendError(response, error.retryable ? 503 : 400, error.code, error.message);
    sendError(response, 500, 'InternalFailure', error instanceof Error ? error.message : String(error));
  }
}
