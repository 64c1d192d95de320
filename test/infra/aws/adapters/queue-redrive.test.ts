import { EventBridgeClient, ListTargetsByRuleCommand, ResourceNotFoundException as RuleNotFound, type ListTargetsByRuleCommandInput } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { ruleTable } from '../../../../events/rules';
import { StageId } from '../../../../events/stage-ids';
import { QueueRedrive, RedriveError, RedriveRefusedError } from '../../../../infra/aws/adapters/queue-redrive';
import { awsOperations } from '../../../../infra/aws/aws-operations';
import { FORWARDING_RULE_ID } from '../../../../infra/aws/constructs/pipeline-bus';
import { deliveryQueueName } from '../../../../infra/aws/lambda/delivery-routes';
import { SqsEmulator } from './sqs-emulator';

const ACCOUNT = '123456789012';
const PREFIX = 'tributary';
const meta = { $metadata: { httpStatusCode: 400 } };
const rows = ruleTable({ busName: PREFIX, rawBucket: `${PREFIX}-raw`, resourcePrefix: PREFIX, athenaWorkgroup: PREFIX });
const row = (stage: string) => {
  const r = rows.find((x) => x.target === stage);
  if (!r) throw new Error(`no row for ${stage}`);
  return r;
};
const ruleName = (stage: string): string => `${PREFIX}-${row(stage).id}`;
const deliveries = (stage: string): string => deliveryQueueName(ruleName(stage));
const queueArn = (queue: string, account = ACCOUNT): string => `arn:aws:sqs:us-east-1:${account}:${queue}`;
const ruleArn = (bus: string, name: string): string => `arn:aws:events:us-east-1:${ACCOUNT}:rule/${bus}/${name}`;

/** EventBridge's ListTargetsByRule as a deployed stack answers it: each stage rule on our bus lists its delivery queue; the forwarding rule lives on `default`. */
class RulesEmulator {
  readonly eventBridge = new EventBridgeClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  private readonly mock = mockClient(this.eventBridge);
  private readonly rules = new Map<string, string[]>(rows.map((r) => [`${PREFIX}/${PREFIX}-${r.id}`, [queueArn(deliveryQueueName(`${PREFIX}-${r.id}`))]]));

  constructor() {
    this.rules.set(`default/${PREFIX}-${FORWARDING_RULE_ID}`, [`arn:aws:events:us-east-1:${ACCOUNT}:event-bus/${PREFIX}`]);
    this.mock.on(ListTargetsByRuleCommand).callsFake((input: ListTargetsByRuleCommandInput) => {
      const targets = this.rules.get(`${input.EventBusName ?? 'default'}/${input.Rule}`);
      if (!targets) throw new RuleNotFound({ message: `Rule ${input.Rule} does not exist on EventBus ${input.EventBusName}.`, ...meta });
      return { Targets: targets.map((Arn, i) => ({ Id: `t${i}`, Arn })) };
    });
  }

  restore(): void {
    this.mock.restore();
  }
}

const attrs = (rule: string, target: string) => ({ RULE_ARN: rule, TARGET_ARN: target, ERROR_CODE: 'THROTTLING', ERROR_MESSAGE: 'Rate Exceeded.', EXHAUSTED_RETRY_CONDITION: 'MaximumEventAgeInSeconds', RETRY_ATTEMPTS: '12' });
const stageAttrs = (stage: string) => attrs(ruleArn(PREFIX, ruleName(stage)), queueArn(deliveries(stage)));
/** An event body as EventBridge wrote it, with formatting a re-serialisation would change. */
const body = (n: number) => `{"version":"0","id":"ev-${n}","detail-type":"RefinedWritten","source":"tributary.pipeline","account":"${ACCOUNT}","time":"2026-01-05T00:00:00Z","region":"us-east-1","resources":[],"detail":{"runId":"r${n}","rows":1.0,"ratio":12345678901234567890}}`;

describe('QueueRedrive', () => {
  let sqs: SqsEmulator;
  let rules: RulesEmulator;
  let redrive: QueueRedrive;
  let queues: readonly string[];
  const refine = row(StageId.Refine).deadLetterQueue;
  beforeEach(() => {
    sqs = new SqsEmulator();
    rules = new RulesEmulator();
    const ops = awsOperations(PREFIX, { sqs: sqs.client, eventBridge: rules.eventBridge });
    redrive = ops.redrive;
    queues = ops.deadLetterQueues;
    for (const q of [...queues, ...rows.map((r) => deliveryQueueName(`${PREFIX}-${r.id}`))]) sqs.create(q);
  });
  afterEach(() => {
    sqs.restore();
    rules.restore();
  });

  /** A refused redrive: a non-retryable refusal naming the reason, nothing sent, the message kept and visible. */
  async function expectRefusedAndKept(queue: string, id: string, reason: RegExp): Promise<void> {
    const error: unknown = await redrive.redrive(queue, id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedriveRefusedError);
    expect(error).toMatchObject({ retryable: false, message: expect.stringMatching(reason) });
    expect(sqs.sent).toHaveLength(0);
    expect(sqs.ids(queue)).toEqual([id]);
    expect(sqs.visible(queue)).toBe(1);
  }

  it("sends the message body byte for byte to its rule's delivery queue, then deletes the message", async () => {
    const id = sqs.add(refine, body(1), stageAttrs(StageId.Refine), 1);
    const other = sqs.add(refine, body(2), stageAttrs(StageId.Refine), 2);
    await redrive.redrive(refine, id);
    expect(sqs.sent).toEqual([{ queue: deliveries(StageId.Refine), body: body(1) }]);
    expect(sqs.ids(refine)).toEqual([other]);
    expect(sqs.visible(refine)).toBe(1);
  });

  it("sends a message the delivery queue moved here (no attributes) back to that queue", async () => {
    const id = sqs.add(refine, body(1), {}, 1);
    await redrive.redrive(refine, id);
    expect(sqs.sent).toEqual([{ queue: deliveries(StageId.Refine), body: body(1) }]);
    expect(sqs.size(refine)).toBe(0);
  });

  it('keeps the message, visible, when SQS does not accept the send, and redrives it once SQS does', async () => {
    const id = sqs.add(refine, body(1), stageAttrs(StageId.Refine), 1);
    sqs.throttleSendsAfter = 0;
    await expect(redrive.redrive(refine, id)).rejects.toMatchObject({ name: 'RedriveError', code: 'RequestThrottled', retryable: true });
    expect(sqs.ids(refine)).toEqual([id]);
    expect(sqs.visible(refine)).toBe(1);
    sqs.throttleSendsAfter = Number.POSITIVE_INFINITY;
    await redrive.redrive(refine, id);
    expect(sqs.sent.map((s) => s.body)).toEqual([body(1)]);
    expect(sqs.size(refine)).toBe(0);
  });

  it.each([
    ['a queue of this stack the rule does not target', refine, attrs(ruleArn(PREFIX, ruleName(StageId.Refine)), queueArn(deliveries(StageId.Forecast))), /no longer a target of rule/],
    ['a queue of another account', refine, attrs(ruleArn(PREFIX, ruleName(StageId.Refine)), queueArn(deliveries(StageId.Refine), '999999999999')), /not in the account and region/],
    ['a target that is not a queue (a Lambda function, as before the delivery queues)', refine, attrs(ruleArn(PREFIX, ruleName(StageId.Refine)), `arn:aws:lambda:us-east-1:${ACCOUNT}:function:f`), /is not a delivery queue/],
    ['a rule on another bus', refine, attrs(ruleArn('other-bus', ruleName(StageId.Refine)), queueArn(deliveries(StageId.Refine))), /is not the stage rule of this queue/],
    ['the rule of another queue', refine, { ...stageAttrs(StageId.Forecast), TARGET_ARN: queueArn(deliveries(StageId.Refine)) }, /is not the stage rule of this queue/],
    ['a message with a rule but no target', refine, { RULE_ARN: ruleArn(PREFIX, ruleName(StageId.Refine)) }, /has no TARGET_ARN attribute/],
    ['a message without attributes outside a stage rule DLQ', `${PREFIX}-${FORWARDING_RULE_ID}-dlq`, {}, /its target is unknown/],
  ])('refuses %s, sending nothing and keeping the message', async (_what, queue, attributes, reason) => {
    const id = sqs.add(queue, body(1), attributes, 1);
    await expectRefusedAndKept(queue, id, reason);
  });

  it('refuses a body that is not an event, and names a message already gone', async () => {
    const id = sqs.add(refine, 'not json', stageAttrs(StageId.Refine), 1);
    await expect(redrive.redrive(refine, id)).rejects.toThrow(/body is not an event/);
    await expect(redrive.redrive(refine, 'no-such-id')).rejects.toMatchObject({ code: 'MessageNotFound', retryable: false });
    expect(sqs.ids(refine)).toEqual([id]);
    expect(sqs.sent).toHaveLength(0);
  });

  it('keeps the message when it cannot be deleted after the send, saying it was delivered (a later redrive delivers it again)', async () => {
    const id = sqs.add(refine, body(1), stageAttrs(StageId.Refine), 1);
    sqs.throttleDeletes = true;
    await expect(redrive.redrive(refine, id)).rejects.toMatchObject({ code: 'RequestThrottled', message: expect.stringMatching(/was delivered; it stays in the queue/) });
    expect(sqs.sent).toHaveLength(1);
    expect(sqs.ids(refine)).toEqual([id]);
    expect(sqs.visible(refine)).toBe(1);
  });

  it('--all redrives every message of every queue once, and keeps and reports the refused ones', async () => {
    const sent = new Map<string, string>();
    let n = 0;
    for (const stage of [StageId.Refine, StageId.Forecast, StageId.Alert]) {
      for (let i = 0; i < (stage === StageId.Refine ? 23 : 3); i += 1) {
        n += 1;
        sent.set(body(n), deliveries(stage));
        sqs.add(row(stage).deadLetterQueue, body(n), stageAttrs(stage), n);
      }
    }
    const forwardQueue = `${PREFIX}-${FORWARDING_RULE_ID}-dlq`;
    const forwarded = sqs.add(forwardQueue, { source: 'aws.s3', 'detail-type': 'Object Created', detail: {} }, attrs(ruleArn('default', `${PREFIX}-${FORWARDING_RULE_ID}`), `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/${PREFIX}`), 0);
    const stale = sqs.add(refine, body(999), stageAttrs(StageId.Forecast), 0);
    const summary = await redrive.redriveAll(queues);
    expect(summary.redriven).toBe(29);
    expect(summary.refused.map((r) => r.messageId).sort()).toEqual([forwarded, stale].sort());
    expect(summary.refused.find((r) => r.messageId === forwarded)?.reason).toMatch(/not a delivery queue/);
    expect(new Map(sqs.sent.map((s) => [s.body, s.queue]))).toEqual(sent);
    expect(sqs.sent).toHaveLength(29);
    expect(queues.flatMap((q) => sqs.ids(q)).sort()).toEqual([forwarded, stale].sort());
    expect(sqs.visible(refine) + sqs.visible(forwardQueue)).toBe(2);
  });

  it('--all stops at a send SQS does not accept, losing nothing: each message is either delivered and deleted or still queued', async () => {
    const bodies: string[] = [];
    for (let i = 0; i < 15; i += 1) {
      bodies.push(body(i));
      sqs.add(refine, body(i), stageAttrs(StageId.Refine), i);
    }
    sqs.throttleSendsAfter = 7;
    const error: unknown = await redrive.redriveAll(queues).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedriveError);
    expect(error).toMatchObject({ code: 'RequestThrottled', retryable: true, message: expect.stringMatching(/^redrive stopped after 7 message\(s\) sent/) });
    expect(sqs.sent).toHaveLength(7);
    expect(sqs.size(refine)).toBe(8);
    expect(sqs.visible(refine)).toBe(8);
    sqs.throttleSendsAfter = Number.POSITIVE_INFINITY;
    expect(await redrive.redriveAll(queues)).toEqual({ redriven: 8, refused: [] });
    expect(sqs.sent.map((s) => s.body).sort()).toEqual([...bodies].sort());
    expect(sqs.size(refine)).toBe(0);
  });
});
