import type { AwsOperations } from '../../../aws/aws-operations';
import { awsDeadLetterRows, awsReplayState, listAwsDeadLetters, redriveAwsDeadLetters, startAwsReplay } from '../../read-side/aws-side';
import { parseReplayTime, replayableRules, replayRules } from '../../read-side/events-read';
import { badRequestOn, ConsoleApiError, type ApiRoute } from './api-route';
import { redriveTargetOf } from './dead-letters-api';
import { replayRequestOf } from './events-api';
import type { ReadContext } from './console-context';

/** What `tributary console --aws` serves from: the read context of the deployed stack and its operations. */
export interface AwsConsoleContext extends ReadContext {
  readonly aws: AwsOperations;
}

/**
 * The Dead letters and Events pages' API for the deployed stack, through the same read-side
 * functions as `dlq list|redrive --aws` and `replay --aws`:
 * - `GET /api/dead-letters` — every message of the stack's SQS DLQs with its error attributes (peeked);
 * - `POST /api/dead-letters/redrive` `{queue, id}` or `{all: true}` (token) — back to the rules' delivery queues;
 * - `GET /api/alerts` — empty: the stack's alerts go to its SNS topic, not to a feed the console can read;
 * - `GET /api/events/rules`, `POST /api/events/replay` `{from, to, rule}` (token), `GET /api/events/replay/:name` — an EventBridge replay of the archive to one rule.
 */
export const awsActionRoutes: readonly ApiRoute<AwsConsoleContext>[] = [
  { method: 'GET', path: '/api/dead-letters', needsToken: false, handler: async (_request, ctx) => ({ messages: awsDeadLetterRows(await listAwsDeadLetters(ctx.aws)) }) },
  {
    method: 'POST',
    path: '/api/dead-letters/redrive',
    needsToken: true,
    handler: async (request, ctx) => {
      return redriveAwsDeadLetters(ctx.aws, redriveTargetOf(request.body));
    },
  },
  { method: 'GET', path: '/api/alerts', needsToken: false, handler: async () => ({ alerts: [] }) },
  { method: 'GET', path: '/api/events/rules', needsToken: false, handler: async () => ({ rules: replayableRules() }) },
  {
    method: 'POST',
    path: '/api/events/replay',
    needsToken: true,
    handler: async (request, ctx) => {
      const { from, to, rule } = replayRequestOf(request.body);
      const window = badRequestOn(() => ({ from: parseReplayTime('from', from), to: parseReplayTime('to', to), rules: replayRules({ rules: [rule] }) }));
      const name = `console-replay-${Date.now()}`;
      await startAwsReplay(ctx.aws, name, window);
      return { name, ...(await awsReplayState(ctx.aws, name)), rule };
    },
  },
  {
    method: 'GET',
    path: '/api/events/replay/:name',
    needsToken: false,
    handler: async (request, ctx) => ({ name: request.params['name'] ?? '', ...(await awsReplayState(ctx.aws, request.params['name'] ?? '')) }),
  },
];

/** The console calls with no source in the deployed stack, and what to use instead. */
const NO_AWS_SOURCE: ReadonlyArray<{ readonly method: 'GET' | 'POST'; readonly path: string; readonly what: string }> = [
  { method: 'GET', path: '/api/events', what: 'the event history (the stack archives events in EventBridge, which cannot be browsed; replay a window instead)' },
  { method: 'GET', path: '/api/events/tail', what: 'the live tail (the deployed bus has no tap the console can follow)' },
  { method: 'GET', path: '/api/events/stream', what: 'live updates' },
  { method: 'GET', path: '/api/pipeline/counts', what: 'live per-rule counts (see the rules\' CloudWatch metrics)' },
  { method: 'GET', path: '/api/pipeline/rules/:id/matches', what: 'recent rule matches (see the rules\' CloudWatch metrics)' },
  { method: 'GET', path: '/api/catalog', what: 'the catalog (use the Glue console or `tributary` on a local home)' },
  { method: 'GET', path: '/api/catalog/:database/:table', what: 'the catalog (use the Glue console or `tributary` on a local home)' },
  { method: 'POST', path: '/api/sql', what: 'SQL (use Athena in the stack\'s workgroup)' },
  { method: 'GET', path: '/api/sql/:id', what: 'SQL (use Athena in the stack\'s workgroup)' },
  { method: 'GET', path: '/api/sql/:id/csv', what: 'SQL (use Athena in the stack\'s workgroup)' },
  { method: 'GET', path: '/api/forecasts', what: 'forecasts (query the forecast tables with Athena)' },
  { method: 'GET', path: '/api/forecasts/:dataset', what: 'forecasts (query the forecast tables with Athena)' },
];

/** The pages' calls that the deployed stack cannot answer: each a 501 saying so plainly, which the page shows. */
export const noAwsSourceRoutes: readonly ApiRoute<AwsConsoleContext>[] = NO_AWS_SOURCE.map(({ method, path, what }) => ({
  method,
  path,
  needsToken: false,
  handler: async () => {
    throw new ConsoleApiError(501, `Not available with \`tributary console --aws\`: ${what}.`);
  },
}));
