import * as http from 'node:http';
import type { EventEnvelope } from '../../../contracts/envelope';
import { StageErrorCode, stageFailure } from '../../../events/retry-policy';
import { TargetKind, parseTargetArn } from './target-kinds';

/** The outcome of one delivery attempt; failures say whether a retry could succeed. */
export type DeliveryOutcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly retryable: boolean; readonly code: string; readonly message: string };

/**
 * An in-process target: a stage handler invoked with the event envelope, as Lambda would be. For a
 * target with Input, InputPath or InputTransformer, `input` is what that rendered (the JSON value, or
 * the text itself when it is not JSON), which is what a Lambda target would receive instead.
 */
export type StageHandler = (event: EventEnvelope, input?: unknown) => Promise<void> | void;

/** ERROR_CODE values the local bus writes on DLQ messages. */
export const DeliveryErrorCode = {
  NoResource: 'NO_RESOURCE',
  HandlerError: StageErrorCode.HandlerError,
  PoisonEvent: StageErrorCode.PoisonEvent,
  Throttling: 'THROTTLING',
  HttpServerError: 'HTTP_SERVER_ERROR',
  HttpClientError: 'HTTP_CLIENT_ERROR',
  ConnectionFailure: 'CONNECTION_FAILURE',
  Timeout: 'TIMEOUT',
  InternalError: 'INTERNAL_ERROR',
} as const;

function parsedOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function failure(retryable: boolean, code: string, message: string): DeliveryOutcome {
  return { ok: false, retryable, code, message };
}

/**
 * Performs one delivery attempt to a target ARN: a registered stage handler (a throw is retryable
 * unless the error is flagged poison), a loopback HTTP endpoint (POST of the event JSON; 2xx is
 * delivered, 429/5xx/network/timeout retryable, other statuses not), or another bus (re-ingested there).
 */
export class TargetInvoker {
  private readonly stages = new Map<string, StageHandler>();
  private readonly agent: http.Agent;

  constructor(
    private readonly forward: (bus: string, event: EventEnvelope) => Promise<void>,
    private readonly httpTimeoutMs: number,
    maxSockets: number,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets });
  }

  /** Registers the handler of stage `stageId` (target ARN `arn:tributary:stage:<stageId>`); returns an unregister function. */
  registerStage(stageId: string, handler: StageHandler): () => void {
    this.stages.set(stageId, handler);
    return () => {
      if (this.stages.get(stageId) === handler) this.stages.delete(stageId);
    };
  }

  /**
   * Attempts one delivery of `event` to the target `arn`; `payload` is the text an Input, InputPath
   * or InputTransformer rendered instead of the event. A stage gets it parsed (or as text when it is
   * not JSON); an HTTP target gets it as the body; a bus target forwards the event with the payload,
   * which must then be a JSON object, as its `detail`.
   */
  async invoke(arn: string, event: EventEnvelope, payload?: string): Promise<DeliveryOutcome> {
    const address = parseTargetArn(arn);
    switch (address.kind) {
      case TargetKind.Stage:
        return this.invokeStage(address.stageId, event, payload === undefined ? undefined : parsedOrText(payload));
      case TargetKind.Http:
        return this.post(address.url, payload ?? JSON.stringify(event));
      case TargetKind.Bus:
        try {
          let forwarded = event;
          if (payload !== undefined) {
            const detail = parsedOrText(payload);
            if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) return failure(false, DeliveryErrorCode.PoisonEvent, 'the transformed input for an event bus target must be a JSON object (it becomes the detail)');
            forwarded = { ...event, detail: { ...detail } };
          }
          await this.forward(address.bus, forwarded);
          return { ok: true };
        } catch (error) {
          return failure(true, DeliveryErrorCode.InternalError, error instanceof Error ? error.message : String(error));
        }
      default:
        return failure(false, DeliveryErrorCode.NoResource, address.reason);
    }
  }

  /** Closes idle HTTP connections. */
  close(): void {
    this.agent.destroy();
  }

  private async invokeStage(stageId: string, event: EventEnvelope, input: unknown): Promise<DeliveryOutcome> {
    const handler = this.stages.get(stageId);
    if (handler === undefined) return failure(false, DeliveryErrorCode.NoResource, `no handler is registered for stage ${stageId}`);
    try {
      await (input === undefined ? handler(event) : handler(event, input));
      return { ok: true };
    } catch (error) {
      const { retryable, code, message } = stageFailure(error);
      return failure(retryable, code, message);
    }
  }

  private post(url: URL, text: string): Promise<DeliveryOutcome> {
    const body = Buffer.from(text, 'utf8');
    return new Promise<DeliveryOutcome>((resolve) => {
      const request = http.request(
        url,
        { method: 'POST', agent: this.agent, timeout: this.httpTimeoutMs, headers: { 'content-type': 'application/json', 'content-length': body.length } },
        (response) => {
          response.resume();
          response.on('end', () => {
            const status = response.statusCode ?? 0;
            if (status >= 200 && status < 300) resolve({ ok: true });
            else if (status === 429) resolve(failure(true, DeliveryErrorCode.Throttling, `HTTP 429 from ${url.href}`));
            else if (status >= 500) resolve(failure(true, DeliveryErrorCode.HttpServerError, `HTTP ${status} from ${url.href}`));
            else resolve(failure(false, DeliveryErrorCode.HttpClientError, `HTTP ${status} from ${url.href}`));
          });
          response.on('error', (error) => resolve(failure(true, DeliveryErrorCode.ConnectionFailure, error.message)));
        },
      );
      request.on('timeout', () => request.destroy(new Error(`timed out after ${this.httpTimeoutMs} ms`)));
      request.on('error', (error) => {
        const timedOut = error.message.startsWith('timed out');
        resolve(failure(true, timedOut ? DeliveryErrorCode.Timeout : DeliveryErrorCode.ConnectionFailure, `${error.message} (${url.href})`));
      });
      request.end(body);
    });
  }
}
