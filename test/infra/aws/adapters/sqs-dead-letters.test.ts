import { SqsDeadLetters } from '../../../../infra/aws/adapters/sqs-dead-letters';
import { SqsEmulator } from './sqs-emulator';

describe('SqsDeadLetters', () => {
  const attrs = (n: number) => ({ RULE_ARN: 'arn:aws:events:us-east-1:123456789012:rule/tributary/tributary-refined-forecast', TARGET_ARN: 'arn:aws:sqs:us-east-1:123456789012:tributary-refined-forecast-deliveries', ERROR_CODE: 'TIMEOUT', ERROR_MESSAGE: `timed out ${n}`, EXHAUSTED_RETRY_CONDITION: 'MaximumRetryAttempts', RETRY_ATTEMPTS: '8' });

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

describe('SqsDeadLetters on a message a delivery queue moved into its DLQ', () => {
  it('lists the bare event without attributes, even when the event looks like a Lambda on-failure record', async () => {
    const sqs = new SqsEmulator();
    const lookalike = { version: '1.0', requestContext: { functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:f', condition: 'RetriesExhausted', approximateInvokeCount: 3 }, requestPayload: { id: 'ev-1' } };
    sqs.add('tributary-refine-dlq', lookalike, {}, 1);
    const letters = await new SqsDeadLetters(sqs.client).list('tributary-refine-dlq');
    expect(letters).toEqual([{ queue: 'tributary-refine-dlq', messageId: expect.any(String), sentAt: new Date(1).toISOString(), event: lookalike, attributes: {} }]);
    sqs.restore();
  });
});
