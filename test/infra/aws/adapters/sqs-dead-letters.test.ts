import { SqsDeadLetters } from '../../../../infra/aws/adapters/sqs-dead-letters';
import { SqsEmulator } from './sqs-emulator';

describe('SqsDeadLetters', () => {
  const attrs = (n: number) => ({ RULE_ARN: 'arn:aws:events:us-east-1:123456789012:rule/tributary/tributary-refined-forecast', TARGET_ARN: 'arn:aws:lambda:us-east-1:123456789012:function:f', ERROR_CODE: 'TIMEOUT', ERROR_MESSAGE: `timed out ${n}`, EXHAUSTED_RETRY_CONDITION: 'MaximumRetryAttempts', RETRY_ATTEMPTS: '8' });

  it('lists every message of a queue with its event and EventBridge attributes, oldest first, without consuming them', async () => {
    const sqs = new SqsEmulator();
    for (let i = 0; i < 25; i += 1) sqs.add('tributary-refined-forecast-dlq', { id: `e${i}`, 'detail-type': 'RefinedWritten' }, attrs(i), 1_700_000_000_000 + i);
    const letters = await new SqsDeadLetters(sqs.client).list('tributary-refined-forecast-dlq');
    expect(letters).toHaveLength(25);
    expect(letters[0]).toMatchObject({ queue: 'tributary-refined-forecast-dlq', sentAt: new Date(1_700_000_000_000).toISOString(), event: { id: 'e0' }, attributes: attrs(0) });
    expect(letters.map((l) => (l.event as { id: string }).id)).toEqual(Array.from({ length: 25 }, (_, i) => `e${i}`));
    expect(sqs.visible('tributary-refined-forecast-dlq')).toBe(25);
    sqs.restore();
  });

  it('discards one message by id, and reports a message already gone', async () => {
    const sqs = new SqsEmulator();
    for (let i = 0; i < 12; i += 1) sqs.add('q', { id: `e${i}` }, attrs(i), i);
    const dlq = new SqsDeadLetters(sqs.client);
    const [first] = await dlq.list('q');
    expect(await dlq.discard('q', first?.messageId ?? '')).toBe(true);
    expect(sqs.size('q')).toBe(11);
    expect(sqs.visible('q')).toBe(11);
    expect(await dlq.discard('q', 'no-such-id')).toBe(false);
    sqs.restore();
  });

  it('names an unknown queue as poison', async () => {
    const sqs = new SqsEmulator();
    await expect(new SqsDeadLetters(sqs.client).list('nope')).rejects.toMatchObject({ code: 'QueueDoesNotExist', retryable: false });
    sqs.restore();
  });
});

describe('SqsDeadLetters on a stage failure queue (Lambda on-failure records)', () => {
  const fn = 'arn:aws:lambda:us-east-1:123456789012:function:Tributary-Stagerefine-AbC123';
  const event = { version: '0', id: 'ev-1', 'detail-type': 'TableCrawled', source: 'tributary.pipeline', detail: { runId: 'r1' } };
  const record = (requestContext: Record<string, unknown>, response: Record<string, unknown> = {}) => ({ version: '1.0', timestamp: '2026-01-05T00:10:00.000Z', requestContext: { requestId: 'req-1', functionArn: `${fn}:$LATEST`, ...requestContext }, requestPayload: event, ...response });

  it('shows the original event and the function error (type, message, condition, retries) of a record', async () => {
    const sqs = new SqsEmulator();
    sqs.add('tributary-refine-failures', record({ condition: 'RetriesExhausted', approximateInvokeCount: 3 }, { responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' }, responsePayload: { errorType: 'AthenaQueryError', errorMessage: 'query q1 failed: Throttled', trace: [] } }), {}, 1_700_000_000_000);
    sqs.add('tributary-refine-failures', record({ condition: 'EventAgeExceeded', approximateInvokeCount: 1 }), {}, 1_700_000_000_001);
    const [exhausted, aged] = await new SqsDeadLetters(sqs.client).list('tributary-refine-failures');
    expect(exhausted).toMatchObject({
      event,
      attributes: { TARGET_ARN: fn, ERROR_CODE: 'AthenaQueryError', ERROR_MESSAGE: 'query q1 failed: Throttled', EXHAUSTED_RETRY_CONDITION: 'RetriesExhausted', RETRY_ATTEMPTS: '2' },
      failure: { functionArn: fn, condition: 'RetriesExhausted', approximateInvokeCount: 3, errorType: 'AthenaQueryError', errorMessage: 'query q1 failed: Throttled', requestPayload: event },
    });
    expect(exhausted?.attributes.RULE_ARN).toBeUndefined();
    expect(aged).toMatchObject({ event, attributes: { ERROR_CODE: 'EventAgeExceeded', EXHAUSTED_RETRY_CONDITION: 'EventAgeExceeded', RETRY_ATTEMPTS: '0' }, failure: { condition: 'EventAgeExceeded' } });
    expect(sqs.visible('tributary-refine-failures')).toBe(2);
    sqs.restore();
  });

  it('reads an EventBridge dead letter as the event, even when the event looks like a failure record', async () => {
    const sqs = new SqsEmulator();
    const lookalike = record({ condition: 'RetriesExhausted', approximateInvokeCount: 3 });
    sqs.add('q', lookalike, { RULE_ARN: 'arn:aws:events:us-east-1:123456789012:rule/tributary/r', TARGET_ARN: fn }, 1);
    sqs.add('q', { ...lookalike, requestContext: { functionArn: fn } }, {}, 2);
    const letters = await new SqsDeadLetters(sqs.client).list('q');
    expect(letters.map((l) => [l.failure, l.event])).toEqual([
      [undefined, lookalike],
      [undefined, { ...lookalike, requestContext: { functionArn: fn } }],
    ]);
    sqs.restore();
  });
});
