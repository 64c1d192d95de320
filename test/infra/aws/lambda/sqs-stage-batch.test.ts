import { processStageBatch, type DeadLetterAttributes, type DeliveryQueues } from '../../../../infra/aws/lambda/sqs-stage-batch';

const queueArn = 'arn:aws:sqs:eu-west-1:123456789012:tributary-refine-deliveries';
const route = { ruleArn: 'arn:aws:events:eu-west-1:123456789012:rule/tributary/tributary-refine', retryPolicy: { maximumRetryAttempts: 8, maximumEventAgeInSeconds: 3600 }, deadLetterQueue: 'tributary-refine-dlq' };
const T0 = Date.parse('2026-01-05T10:00:00Z');

function record(id: string, body: string, receiveCount: number, sentMs = T0, source = queueArn) {
  return {
    messageId: id, receiptHandle: `rh-${id}`, body, messageAttributes: {}, md5OfBody: 'x', eventSource: 'aws:sqs', eventSourceARN: source, awsRegion: 'eu-west-1',
    attributes: { ApproximateReceiveCount: String(receiveCount), ApproximateFirstReceiveTimestamp: String(sentMs), SenderId: 'events', SentTimestamp: String(sentMs) },
  };
}

/** Queues that remember what the function asked of them, or refuse to dead-letter. */
class RecordingQueues implements DeliveryQueues {
  readonly delays: Array<[string, number]> = [];
  readonly letters: Array<{ queue: string; body: string; attributes: DeadLetterAttributes }> = [];
  constructor(private readonly dlqDown = false) {}
  delay(_queueArn: string, receiptHandle: string, seconds: number): Promise<void> {
    this.delays.push([receiptHandle, seconds]);
    return Promise.resolve();
  }
  deadLetter(queue: string, _source: string, body: string, attributes: DeadLetterAttributes): Promise<void> {
    if (this.dlqDown) return Promise.reject(new Error('SendMessage: ServiceUnavailable'));
    this.letters.push({ queue, body, attributes });
    return Promise.resolve();
  }
}

const failing = (retryable: boolean) => () => Promise.reject(Object.assign(new Error('the refined table is not catalogued yet'), { name: 'DependencyError', retryable }));

describe('processStageBatch: the rule retry policy on a stage queue batch', () => {
  const deps = (queues: DeliveryQueues, run: (event: unknown) => Promise<void>, nowMs = T0 + 5_000) => ({ run, routes: new Map([['tributary-refine-deliveries', route]]), backoff: { baseMs: 10_000, maxMs: 900_000 }, queues, now: () => nowMs, random: () => 0 });

  it('answers only the failed messages, each hidden for the backoff of its attempt; successes are deleted by the mapping', async () => {
    const queues = new RecordingQueues();
    const run = (event: unknown) => (JSON.stringify(event).includes('"ok"') ? Promise.resolve() : failing(true)());
    const answer = await processStageBatch({ Records: [record('a', '{"k":"ok"}', 1), record('b', '{"k":"no"}', 1), record('c', '{"k":"no"}', 4)] }, deps(queues, run));
    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: 'b' }, { itemIdentifier: 'c' }] });
    expect(queues.delays).toEqual([['rh-b', 5], ['rh-c', 40]]);
    expect(queues.letters).toEqual([]);
  });

  it('dead-letters after maximumRetryAttempts retries, past the maximum age, and at once when not retryable', async () => {
    const queues = new RecordingQueues();
    await processStageBatch({ Records: [record('last', '{"n":1}', 9)] }, deps(queues, failing(true)));
    await processStageBatch({ Records: [record('old', '{"n":2}', 2)] }, deps(queues, failing(true), T0 + 3_595_000));
    await processStageBatch({ Records: [record('bad', '{"n":3}', 1)] }, deps(queues, failing(false)));
    await processStageBatch({ Records: [record('text', 'not json', 1)] }, deps(queues, failing(true)));
    expect(queues.delays).toEqual([]);
    expect(queues.letters.map((l) => [l.queue, l.body, l.attributes.EXHAUSTED_RETRY_CONDITION, l.attributes.RETRY_ATTEMPTS, l.attributes.ERROR_CODE])).toEqual([
      ['tributary-refine-dlq', '{"n":1}', 'MaximumRetryAttempts', '8', 'HANDLER_ERROR'],
      ['tributary-refine-dlq', '{"n":2}', 'MaximumEventAgeInSeconds', '1', 'HANDLER_ERROR'],
      ['tributary-refine-dlq', '{"n":3}', 'NonRetryableError', '0', 'POISON_EVENT'],
      ['tributary-refine-dlq', 'not json', 'NonRetryableError', '0', 'POISON_EVENT'],
    ]);
    expect(queues.letters[0]?.attributes).toMatchObject({ RULE_ARN: route.ruleArn, TARGET_ARN: queueArn, ERROR_MESSAGE: 'DependencyError: the refined table is not catalogued yet' });
  });

  it('keeps a message in its queue when it cannot be dead-lettered, or its queue has no route, saying so in the log', async () => {
    const logged = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const answer = await processStageBatch({ Records: [record('x', '{}', 9), record('y', '{}', 1, T0, 'arn:aws:sqs:eu-west-1:123456789012:unknown')] }, deps(new RecordingQueues(true), failing(true)));
    expect(answer.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['x', 'y']);
    expect(logged.mock.calls.map(([line]) => String(line))).toEqual(expect.arrayContaining([expect.stringMatching(/message x .* stays in its queue: SendMessage/), expect.stringMatching(/no retry policy for queue .*unknown/)]));
    logged.mockRestore();
  });
});
