import { z } from 'zod';
import type { Backoff } from '../../../events/retry-policy';
import type { RetryPolicy } from '../../../events/rules';

/** The environment variables that tell a stage function how to treat the messages of its queues. */
export const DeliveryEnvName = {
  /** JSON: each delivery queue's name → its {@link DeliveryRoute}. */
  Routes: 'TRIBUTARY_DELIVERY_ROUTES',
  /** `<base ms>,<max ms>`: the retry backoff; {@link AWS_BACKOFF} when unset. */
  Backoff: 'TRIBUTARY_RETRY_BACKOFF_MS',
} as const;

/** The name of a rule's delivery queue: the rule's name with `-deliveries`. */
export function deliveryQueueName(ruleName: string): string {
  return `${ruleName}-deliveries`;
}

/**
 * What a rule's delivery queue stands for: the rule whose only target it is, the rule's retry policy
 * (applied by the stage function to each message it fails on) and the rule's dead-letter queue.
 */
export interface DeliveryRoute {
  readonly ruleArn: string;
  readonly retryPolicy: RetryPolicy;
  readonly deadLetterQueue: string;
}

/**
 * AWS's backoff: the first retry of a stage after about 10 s, doubling up to 15 minutes, so a rule's
 * 8 retries span about half an hour (a crawl or a query takes minutes there, seconds locally).
 */
export const AWS_BACKOFF: Backoff = { baseMs: 10_000, maxMs: 900_000 };

const RouteSchema = z.object({
  ruleArn: z.string().min(1),
  maximumRetryAttempts: z.number().int().min(0).max(185),
  maximumEventAgeInSeconds: z.number().int().min(60).max(86400),
  deadLetterQueue: z.string().min(1),
});

/** The JSON text of a function's routes, as the stack sets it (tokens allowed: the stack serialises them). */
export function routesJson(routes: ReadonlyMap<string, DeliveryRoute>): Record<string, z.input<typeof RouteSchema>> {
  return Object.fromEntries([...routes].map(([queue, r]) => [queue, { ruleArn: r.ruleArn, ...r.retryPolicy, deadLetterQueue: r.deadLetterQueue }]));
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`stage function misconfigured: ${what} is not JSON`);
  }
}

/** The delivery settings of a stage function; throws naming the bad variable (a deploy defect, not retryable). */
export function readDeliveryEnv(env: NodeJS.ProcessEnv): { readonly routes: ReadonlyMap<string, DeliveryRoute>; readonly backoff: Backoff } {
  const parsed = z.record(z.string().min(1), RouteSchema).safeParse(parseJson(env[DeliveryEnvName.Routes] ?? '{}', DeliveryEnvName.Routes));
  if (!parsed.success) throw new Error(`stage function misconfigured: ${DeliveryEnvName.Routes}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const routes = new Map(Object.entries(parsed.data).map(([queue, r]) => [queue, { ruleArn: r.ruleArn, deadLetterQueue: r.deadLetterQueue, retryPolicy: { maximumRetryAttempts: r.maximumRetryAttempts, maximumEventAgeInSeconds: r.maximumEventAgeInSeconds } }]));
  const backoffText = env[DeliveryEnvName.Backoff];
  if (backoffText === undefined || backoffText === '') return { routes, backoff: AWS_BACKOFF };
  const match = /^(\d+),(\d+)$/.exec(backoffText);
  const [baseMs, maxMs] = [Number(match?.[1]), Number(match?.[2])];
  if (match === null || baseMs < 1 || maxMs < baseMs) throw new Error(`stage function misconfigured: ${DeliveryEnvName.Backoff} must be "<base ms>,<max ms>" with 1 ≤ base ≤ max, not ${JSON.stringify(backoffText)}`);
  return { routes, backoff: { baseMs, maxMs } };
}
