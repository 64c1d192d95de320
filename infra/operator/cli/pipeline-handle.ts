import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { BackfillRequestedDetail } from '../../../contracts/domain-events';
import { backfillProgress, type BackfillProgress } from '../../../handlers/stage-kit/backfill-progress';
import { DeadLetterMessageSchema, type DeadLetterMessage } from '../../emulators/bus/log-records';
import { EmbeddedRuntime } from '../../local/runtime/embedded-runtime';
import { otherStoreOwner } from '../../emulators/dynamodb/open-local-dynamodb';
import { processAlive } from '../../local/process-alive';
import { upFile } from './control-server';
import { publishBackfill } from './publish-backfill';

/** What the CLI needs from a pipeline, whether `tributary up` runs it or this process does. */
export interface PipelineHandle {
  /** True when `tributary up` is running it. */
  readonly remote: boolean;
  waitUntilQuiescent(timeoutMs: number): Promise<boolean>;
  /** Calls `onEvent` for every accepted event until `signal` aborts. */
  tailEvents(onEvent: (event: unknown) => void, signal: AbortSignal): Promise<void>;
  listDeadLetters(): Promise<DeadLetterMessage[]>;
  redrive(queue: string, messageId: string): Promise<void>;
  /** Starts a replay of the archive (EventBridge StartReplay input); resolves with its state. */
  startReplay(input: ReplayInput): Promise<unknown>;
  /** The replay's state (`STARTING`, `RUNNING`, `COMPLETED`, …). */
  replayState(name: string): Promise<string>;
  /** Publishes a `BackfillRequested` on the pipeline's bus (subscribers see it; the backfill stage runs it). */
  requestBackfill(detail: BackfillRequestedDetail): Promise<void>;
  /** A backfill's progress, undefined until its stage has run. */
  backfillProgress(backfillId: string): Promise<BackfillProgress | undefined>;
  /** The EventBridge-compatible endpoint URL, when one is served. */
  readonly eventBridgeUrl?: string;
  /** The in-process runtime, when this process runs the pipeline. */
  readonly runtime?: EmbeddedRuntime;
  close(): Promise<void>;
}

/** StartReplay's input, as the local bus takes it. */
export interface ReplayInput {
  readonly ReplayName: string;
  readonly EventSourceArn: string;
  readonly EventStartTime: Date;
  readonly EventEndTime: Date;
  readonly Destination: { readonly Arn: string; readonly FilterArns?: string[] };
}

const StateSchema = z.object({ State: z.string() });

const ProgressSchema = z.object({ progress: z.object({ dataset: z.string(), done: z.number(), total: z.number(), forecastOnly: z.boolean() }).optional() });


const UpSchema = z.object({ pid: z.number(), control: z.string(), token: z.string(), eventbridge: z.string().optional() });

/** The running `tributary up` of a home, if its pid is alive (its pid, control and EventBridge URLs, token); one without a control token must be restarted. */
export async function findUp(home: string): Promise<z.infer<typeof UpSchema> | undefined> {
  const text = await readFile(upFile(home), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const parsed = UpSchema.partial({ token: true }).safeParse(JSON.parse(text));
  if (!parsed.success) return undefined;
  if (!processAlive(parsed.data.pid)) return undefined;
  const { token } = parsed.data;
  if (token === undefined) throw new Error(`the running \`tributary up\` (pid ${parsed.data.pid}) has no control token in ${upFile(home)}; restart it`);
  return { ...parsed.data, token };
}

/** A client of the control endpoint: every call carries the token; POSTs send a JSON body. */
function controlClient(up: z.infer<typeof UpSchema>): { call(path: string, init?: { method: 'POST'; body?: unknown }): Promise<unknown>; headers: Record<string, string> } {
  const headers = { authorization: `Bearer ${up.token}` };
  return {
    headers,
    call: (path, init) =>
      call(`${up.control}${path}`, init ? { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(init.body ?? {}) } : { headers }),
  };
}

/** The longest single `/wait` long poll, under fetch's 300 s wait for response headers. */
const WAIT_SLICE_MS = 60_000;

async function call(url: string, init: RequestInit): Promise<unknown> {
  const response = await fetch(url, init);
  const body: unknown = await response.json();
  if (!response.ok) throw new Error(`tributary up answered ${response.status}: ${JSON.stringify(body)}`);
  return body;
}

/** How long a command waits for a starting `tributary up` to publish its control endpoint. */
const OWNER_START_MS = 120_000;

/**
 * When another live process holds the home's run state but publishes no control endpoint yet (a
 * `tributary up` still starting, say after a kill -9), waits for its endpoint: a pipeline opened here
 * beside it could see none of its crawls, queries or deliveries, and `wait` would fail its runs as
 * stalled. Undefined when no other process holds the home; an error when the endpoint never comes.
 */
async function upOfStartingOwner(home: string, waitMs: number): Promise<z.infer<typeof UpSchema> | undefined> {
  const owner = await otherStoreOwner(home);
  if (owner === undefined) return undefined;
  for (const until = Date.now() + waitMs; Date.now() < until && processAlive(owner); ) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const up = await findUp(home);
    if (up) return up;
  }
  if (!processAlive(owner)) return undefined;
  throw new Error(`process ${owner} holds this home's run state but published no \`tributary up\` control endpoint in ${upFile(home)} within ${Math.round(waitMs / 1000)} s; wait for it to start, or stop it`);
}

/**
 * Opens the pipeline of a home: through the control endpoint of a running `tributary up`, or, when
 * none runs, in this process (delivery, crawls, queries and transforms run while the command does).
 */
export async function openPipeline(home: string, options: { endpointPort?: number; consoleAlerts?: boolean; ownerStartMs?: number } = {}): Promise<PipelineHandle> {
  const up = (await findUp(home)) ?? (await upOfStartingOwner(home, options.ownerStartMs ?? OWNER_START_MS));
  if (up) {
    const control = controlClient(up);
    return {
      remote: true,
      ...(up.eventbridge ? { eventBridgeUrl: up.eventbridge } : {}),
      waitUntilQuiescent: async (timeoutMs) => {
        // One long poll at most WAIT_SLICE_MS: fetch gives up on a response whose headers take 300 s.
        const until = Date.now() + timeoutMs;
        for (;;) {
          const slice = Math.min(Math.max(0, until - Date.now()), WAIT_SLICE_MS);
          const quiescent = z.object({ quiescent: z.boolean() }).parse(await control.call(`/wait?timeoutMs=${slice}`)).quiescent;
          if (quiescent || Date.now() >= until) return quiescent;
        }
      },
      tailEvents: async (onEvent, signal) => {
        const response = await fetch(`${up.control}/events`, { signal, headers: control.headers }).catch((e: unknown) => {
          if (signal.aborted) return undefined;
          throw e;
        });
        if (!response?.body) return;
        let buffer = '';
        try {
          for await (const chunk of response.body) {
            buffer += Buffer.from(chunk).toString('utf8');
            let nl: number;
            while ((nl = buffer.indexOf('\n')) >= 0) {
              onEvent(JSON.parse(buffer.slice(0, nl)));
              buffer = buffer.slice(nl + 1);
            }
          }
        } catch (e) {
          if (!signal.aborted) throw e;
        }
      },
      listDeadLetters: async () => z.array(DeadLetterMessageSchema).parse(await control.call('/dlq')),
      redrive: async (queue, id) => {
        await control.call(`/dlq/redrive?queue=${encodeURIComponent(queue)}&id=${encodeURIComponent(id)}`, { method: 'POST' });
      },
      startReplay: (input) =>
        control.call('/replay', {
          method: 'POST',
          body: { ...input, EventStartTime: input.EventStartTime.getTime() / 1000, EventEndTime: input.EventEndTime.getTime() / 1000 },
        }),
      replayState: async (name) => StateSchema.parse(await control.call(`/replay?name=${encodeURIComponent(name)}`)).State,
      requestBackfill: async (detail) => {
        await control.call('/backfill', { method: 'POST', body: detail });
      },
      backfillProgress: async (id) => ProgressSchema.parse(await control.call(`/backfill?id=${encodeURIComponent(id)}`)).progress,
      close: async () => undefined,
    };
  }
  const runtime = await EmbeddedRuntime.open({ home, ...(options.endpointPort !== undefined ? { endpointPort: options.endpointPort } : {}), consoleAlerts: options.consoleAlerts ?? true });
  return {
    remote: false,
    runtime,
    ...(runtime.endpoint ? { eventBridgeUrl: runtime.endpoint.url } : {}),
    waitUntilQuiescent: (timeoutMs) => runtime.waitUntilQuiescent({ timeoutMs }),
    tailEvents: async (onEvent, signal) => {
      const stop = runtime.bus.onEvent(onEvent);
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      stop();
    },
    listDeadLetters: async () => runtime.bus.listDeadLetterQueues().flatMap((q) => runtime.bus.listDeadLetterMessages(q.queue)),
    redrive: (queue, id) => runtime.bus.redriveDeadLetterMessage(queue, id),
    startReplay: (input) => runtime.bus.startReplay(input),
    replayState: async (name) => (await runtime.bus.describeReplay({ ReplayName: name })).State,
    requestBackfill: (detail) => publishBackfill(runtime, detail),
    backfillProgress: (id) => backfillProgress(runtime.deps.jobs, id),
    close: () => runtime.close(),
  };
}
