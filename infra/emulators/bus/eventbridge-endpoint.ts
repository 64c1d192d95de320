import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import {
  ArchiveRefInputSchema,
  CreateArchiveInputSchema,
  CreateEventBusInputSchema,
  EventBusRefInputSchema,
  ListArchivesInputSchema,
  ListEventBusesInputSchema,
  ListReplaysInputSchema,
  ListRulesInputSchema,
  ListTargetsByRuleInputSchema,
  PutRuleInputSchema,
  PutTargetsInputSchema,
  RemoveTargetsInputSchema,
  ReplayRefInputSchema,
  ResourceRefInputSchema,
  RuleRefInputSchema,
  RuleStateInputSchema,
  StartReplayInputSchema,
  TagResourceInputSchema,
  TestEventPatternInputSchema,
  UntagResourceInputSchema,
  UpdateArchiveInputSchema,
} from './bus-api-schemas';
import { BusError } from './bus-errors';
import { hasErrnoCode } from './errno';
import { toWire } from './json-wire';
import { ATHENA_TARGET_PREFIX, AthenaApiError, type AthenaJsonService } from '../query/athena-json-service';
import type { LocalEventBus } from './local-event-bus';
import { foreignHostMessage, isLoopbackHost } from './loopback-host';
import { PortInUseError } from './port-in-use-error';
import { parseInput } from './parse-input';

/** The port local AWS emulators listen on, so `AWS_ENDPOINT_URL` habits carry over. */
export const DEFAULT_EVENTBRIDGE_PORT = 4566;
const MAX_BODY_BYTES = 4 * 1024 * 1024;

const PutEventsRequestSchema = z.object({
  Entries: z.array(
    z.object({
      Source: z.string().optional(),
      DetailType: z.string().optional(),
      Detail: z.string().optional(),
      Resources: z.array(z.string()).optional(),
      Time: z
        .number()
        .transform((seconds) => new Date(seconds * 1000))
        .optional(),
      EventBusName: z.string().optional(),
      TraceHeader: z.string().optional(),
    }),
  ),
});

type Operation = (bus: LocalEventBus, input: unknown) => Promise<unknown>;

/**
 * A handler mounted beside the AWS protocols on the endpoint's port (the operator console): it gets
 * every loopback request that is not `POST /` (where the AWS SDKs send theirs).
 */
export type MountedHandler = (request: http.IncomingMessage, response: http.ServerResponse) => void;

/** The EventBridge operations the endpoint answers, by `X-Amz-Target` suffix. */
const operations: Readonly<Record<string, Operation>> = {
  PutEvents: (bus, input) => bus.putEvents(parseInput(PutEventsRequestSchema, input).Entries),
  PutRule: (bus, input) => bus.putRule(parseInput(PutRuleInputSchema, input)),
  PutTargets: (bus, input) => bus.putTargets(parseInput(PutTargetsInputSchema, input)),
  RemoveTargets: (bus, input) => bus.removeTargets(parseInput(RemoveTargetsInputSchema, input)),
  DeleteRule: (bus, input) => bus.deleteRule(parseInput(RuleRefInputSchema, input)),
  DescribeRule: (bus, input) => bus.describeRule(parseInput(RuleRefInputSchema, input)),
  ListRules: (bus, input) => bus.listRules(parseInput(ListRulesInputSchema, input)),
  ListTargetsByRule: (bus, input) => bus.listTargetsByRule(parseInput(ListTargetsByRuleInputSchema, input)),
  EnableRule: (bus, input) => bus.enableRule(parseInput(RuleStateInputSchema, input)),
  DisableRule: (bus, input) => bus.disableRule(parseInput(RuleStateInputSchema, input)),
  TestEventPattern: (bus, input) => bus.testEventPattern(parseInput(TestEventPatternInputSchema, input)),
  CreateArchive: (bus, input) => bus.createArchive(parseInput(CreateArchiveInputSchema, input)),
  DescribeArchive: (bus, input) => bus.describeArchive(parseInput(ArchiveRefInputSchema, input)),
  ListArchives: (bus, input) => bus.listArchives(parseInput(ListArchivesInputSchema, input)),
  UpdateArchive: (bus, input) => bus.updateArchive(parseInput(UpdateArchiveInputSchema, input)),
  DeleteArchive: (bus, input) => bus.deleteArchive(parseInput(ArchiveRefInputSchema, input)),
  StartReplay: (bus, input) => bus.startReplay(parseInput(StartReplayInputSchema, input)),
  DescribeReplay: (bus, input) => bus.describeReplay(parseInput(ReplayRefInputSchema, input)),
  ListReplays: (bus, input) => bus.listReplays(parseInput(ListReplaysInputSchema, input)),
  CancelReplay: (bus, input) => bus.cancelReplay(parseInput(ReplayRefInputSchema, input)),
  CreateEventBus: (bus, input) => bus.createEventBus(parseInput(CreateEventBusInputSchema, input)),
  DescribeEventBus: (bus, input) => bus.describeEventBus(parseInput(EventBusRefInputSchema, input)),
  ListEventBuses: (bus, input) => bus.listEventBuses(parseInput(ListEventBusesInputSchema, input)),
  DeleteEventBus: (bus, input) => bus.deleteEventBus(parseInput(EventBusRefInputSchema, input)),
  TagResource: (bus, input) => bus.tagResource(parseInput(TagResourceInputSchema, input)),
  UntagResource: (bus, input) => bus.untagResource(parseInput(UntagResourceInputSchema, input)),
  ListTagsForResource: (bus, input) => bus.listTagsForResource(parseInput(ResourceRefInputSchema, input)),
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
 * The local bus behind EventBridge's JSON 1.1 protocol, on 127.0.0.1, so the unmodified
 * `@aws-sdk/client-eventbridge` client (endpoint `http://127.0.0.1:<port>`, any credentials) can
 * publish, manage rules and targets, archive and replay. `POST /` with `X-Amz-Target:
 * AWSEvents.<Operation>`; errors are HTTP 400 `{"__type", "message"}` as AWS sends them. SigV4
 * headers are accepted and ignored: this is a loopback development endpoint. It answers only requests
 * whose `Host` is a loopback name or address (the SDK sends `127.0.0.1:<port>`); any other Host gets
 * 403 `AccessDeniedException`, so a browser page cannot reach it through DNS rebinding.
 *
 * Given an Athena service, the same port also answers Athena's JSON 1.1 protocol (`X-Amz-Target:
 * AmazonAthena.<Operation>`), so one `AWS_ENDPOINT_URL` serves both SDK clients.
 */
export class EventBridgeEndpoint {
  private constructor(
    private readonly server: http.Server,
    private readonly beside: { mounted?: MountedHandler },
  ) {}

  /**
   * Starts listening on 127.0.0.1 at `port` (default `$TRIBUTARY_PORT`, else 4566; 0 picks a free
   * port). A port already in use is a PortInUseError naming the port and how to choose another.
   */
  static async start(bus: LocalEventBus, port?: number, services: { readonly athena?: AthenaJsonService } = {}): Promise<EventBridgeEndpoint> {
    const envPort = process.env.TRIBUTARY_PORT === undefined ? undefined : Number(process.env.TRIBUTARY_PORT);
    const listenPort = port ?? (envPort !== undefined && Number.isInteger(envPort) ? envPort : DEFAULT_EVENTBRIDGE_PORT);
    const beside: { mounted?: MountedHandler } = {};
    const server = http.createServer((request, response) => {
      const mounted = beside.mounted;
      if (mounted !== undefined && isLoopbackHost(request.headers.host) && !(request.method === 'POST' && (request.url ?? '/').split('?')[0] === '/')) return mounted(request, response);
      void handle(bus, services.athena, request, response);
    });
    await new Promise<void>((resolve, reject) => {
      const failed = (error: Error): void => reject(hasErrnoCode(error, 'EADDRINUSE') ? new PortInUseError(listenPort, error) : error);
      server.once('error', failed);
      server.listen(listenPort, '127.0.0.1', () => {
        server.off('error', failed);
        resolve();
      });
    });
    return new EventBridgeEndpoint(server, beside);
  }

  /**
   * Serves `handler` on the same port for every loopback request other than `POST /` (the AWS
   * protocols keep that one), so a page and its API sit beside the endpoint without a second port.
   */
  mount(handler: MountedHandler): void {
    this.beside.mounted = handler;
  }

  /** The port actually listened on. */
  get port(): number {
    const address: AddressInfo | string | null = this.server.address();
    return typeof address === 'object' && address !== null ? address.port : 0;
  }

  /** The endpoint URL to give the SDK (`http://127.0.0.1:<port>`). */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Stops accepting connections and closes idle ones. */
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

async function handle(bus: LocalEventBus, athena: AthenaJsonService | undefined, request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
  try {
    if (!isLoopbackHost(request.headers.host)) return sendError(response, 403, 'AccessDeniedException', foreignHostMessage(request.headers.host));
    if (request.method !== 'POST') return sendError(response, 404, 'UnknownOperationException', `${request.method ?? ''} ${request.url ?? ''} is not an EventBridge operation; use POST /`);
    const target = request.headers['x-amz-target'];
    const athenaOperation = athena !== undefined && typeof target === 'string' && target.startsWith(ATHENA_TARGET_PREFIX) ? target.slice(ATHENA_TARGET_PREFIX.length) : undefined;
    const name = typeof target === 'string' && target.startsWith('AWSEvents.') ? target.slice('AWSEvents.'.length) : undefined;
    const operation = name === undefined ? undefined : operations[name];
    if (operation === undefined && athenaOperation === undefined) return sendError(response, 400, 'UnknownOperationException', `Unsupported operation ${String(target)}`);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of request) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      size += buffer.length;
      if (size > MAX_BODY_BYTES) return sendError(response, 413, 'ValidationException', 'Request body is too large.');
      chunks.push(buffer);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    let input: unknown;
    try {
      input = text.trim() === '' ? {} : JSON.parse(text);
    } catch {
      return sendError(response, 400, 'SerializationException', 'Request body is not valid JSON.');
    }
    if (athenaOperation !== undefined && athena !== undefined) return send(response, 200, await athena.call(athenaOperation, input));
    if (operation !== undefined) send(response, 200, toWire(await operation(bus, input)));
  } catch (error) {
    if (error instanceof AthenaApiError) return send(response, error.status, error.toBody(), error.code);
    if (error instanceof BusError) return sendError(response, error.retryable ? 500 : 400, error.code, error.message);
    sendError(response, 500, 'InternalException', error instanceof Error ? error.message : String(error));
  }
}
