import { EventBridgeClient, ListTargetsByRuleCommand, ResourceNotFoundException as RuleNotFound, type ListTargetsByRuleCommandInput } from '@aws-sdk/client-eventbridge';
import { InvokeCommand, LambdaClient, RequestTooLargeException, ResourceNotFoundException, TooManyRequestsException, type InvokeCommandInput } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { ruleTable } from '../../../../events/rules';
import { StageId } from '../../../../events/stage-ids';
import { LambdaRedrive, RedriveError, RedriveRefusedError } from '../../../../infra/aws/adapters/lambda-redrive';
import { awsOperations } from '../../../../infra/aws/aws-operations';
import { FORWARDING_RULE_ID } from '../../../../infra/aws/constructs/pipeline-bus';
import { SqsEmulator } from './sqs-emulator';

const ACCOUNT = '123456789012';
const PREFIX = 'tributary';
const meta = { $metadata: { httpStatusCode: 400 } };
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const fnArn = (stage: string) => `arn:aws:lambda:us-east-1:${ACCOUNT}:function:Tributary-Stage${stage.replace(/-/g, '')}-AbC123`;
const ruleArn = (bus: string, name: string) => `arn:aws:events:us-east-1:${ACCOUNT}:rule/${bus}/${name}`;
const rows = ruleTable({ busName: PREFIX, rawBucket: `${PREFIX}-raw`, resourcePrefix: PREFIX, athenaWorkgroup: PREFIX });

/**
 * Lambda's Invoke and EventBridge's ListTargetsByRule as a deployed stack answers them: one function
 * per stage (by name or ARN, else ResourceNotFoundException), asynchronous invokes accepted with 202 and
 * recorded (payload over 1 MB refused), `throttleAfter` invokes answered TooManyRequestsException; each
 * stage rule on our bus lists its stage's function, the forwarding rule lives on `default`.
 */
class StackEmulator {
  readonly lambda = new LambdaClient({ region: 'us-east-1', credentials });
  readonly eventBridge = new EventBridgeClient({ region: 'us-east-1', credentials });
  readonly invoked: { fn: string; type: string | undefined; payload: string }[] = [];
  throttleAfter = Number.POSITIVE_INFINITY;
  private readonly lambdaMock = mockClient(this.lambda);
  private readonly eventsMock = mockClient(this.eventBridge);
  private readonly functions = new Set(Object.values(StageId).map(fnArn));
  private readonly rules = new Map<string, string[]>(rows.map((r) => [`${PREFIX}/${PREFIX}-${r.id}`, [fnArn(r.target)]]));

  constructor() {
    this.rules.set(`default/${PREFIX}-${FORWARDING_RULE_ID}`, [`arn:aws:events:us-east-1:${ACCOUNT}:event-bus/${PREFIX}`]);
    this.lambdaMock.on(InvokeCommand).callsFake((input: InvokeCommandInput) => this.invoke(input));
    this.eventsMock.on(ListTargetsByRuleCommand).callsFake((input: ListTargetsByRuleCommandInput) => {
      const targets = this.rules.get(`${input.EventBusName ?? 'default'}/${input.Rule}`);
      if (!targets) throw new RuleNotFound({ message: `Rule ${input.Rule} does not exist on EventBus ${input.EventBusName}.`, ...meta });
      return { Targets: targets.map((Arn, i) => ({ Id: `t${i}`, Arn })) };
    });
  }

  restore(): void {
    this.lambdaMock.restore();
    this.eventsMock.restore();
  }

  private invoke(input: InvokeCommandInput): { StatusCode: number } {
    const name = String(input.FunctionName);
    const fn = [...this.functions].find((arn) => arn === name || arn.endsWith(`:function:${name}`));
    if (!fn) throw new ResourceNotFoundException({ message: `Function not found: ${name}`, ...meta });
    if (this.invoked.length >= this.throttleAfter) throw new TooManyRequestsException({ message: 'Rate Exceeded.', ...meta, $metadata: { httpStatusCode: 429 } });
    const raw = input.Payload ?? '';
    if (typeof raw !== 'string' && !(raw instanceof Uint8Array)) throw new Error('the test double reads string or Uint8Array payloads only');
    const payload = typeof raw === 'string' ? raw : new TextDecoder().decode(raw);
    if (payload.length > 1_048_576) throw new RequestTooLargeException({ message: 'Request must be smaller than 1048576 bytes for the InvokeAsync operation', ...meta });
    this.invoked.push({ fn, type: input.InvocationType, payload });
    return { StatusCode: input.InvocationType === 'Event' ? 202 : 200 };
  }
}

const row = (stage: string) => {
  const r = rows.find((x) => x.target === stage);
  if (!r) throw new Error(`no row for ${stage}`);
  return r;
};
const attrs = (rule: string, target: string) => ({ RULE_ARN: rule, TARGET_ARN: target, ERROR_CODE: 'THROTTLING', ERROR_MESSAGE: 'Rate Exceeded.', EXHAUSTED_RETRY_CONDITION: 'MaximumEventAgeInSeconds', RETRY_ATTEMPTS: '12' });
const stageAttrs = (stage: string) => attrs(ruleArn(PREFIX, `${PREFIX}-${row(stage).id}`), fnArn(stage));
/** An event body as EventBridge wrote it, with formatting a re-serialisation would change. */
const body = (n: number) => `{"version":"0","id":"ev-${n}","detail-type":"RefinedWritten","source":"tributary.pipeline","account":"${ACCOUNT}","time":"2026-01-05T00:00:00Z","region":"us-east-1","resources":[],"detail":{"runId":"r${n}","rows":1.0,"ratio":12345678901234567890}}`;

describe('LambdaRedrive', () => {
  let sqs: SqsEmulator;
  let stack: StackEmulator;
  let redrive: LambdaRedrive;
  let queues: readonly string[];
  const refine = row(StageId.Refine).deadLetterQueue;
  beforeEach(() => {
    sqs = new SqsEmulator();
    stack = new StackEmulator();
    const ops = awsOperations(PREFIX, { sqs: sqs.client, lambda: stack.lambda, eventBridge: stack.eventBridge });
    redrive = ops.redrive;
    queues = ops.deadLetterQueues;
    for (const q of queues) sqs.create(q);
  });
  afterEach(() => {
    sqs.restore();
    stack.restore();
  });

  /** A refused redrive: a non-retryable refusal naming the reason, nothing invoked, the message kept and visible. */
  async function expectRefusedAndKept(queue: string, id: string, reason: RegExp): Promise<void> {
    const error: unknown = await redrive.redrive(queue, id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedriveRefusedError);
    expect(error).toMatchObject({ retryable: false, message: expect.stringMatching(reason) });
    expect(stack.invoked).toHaveLength(0);
    expect(sqs.ids(queue)).toEqual([id]);
    expect(sqs.visible(queue)).toBe(1);
  }

  it('invokes the target function asynchronously with the message body byte for byte, then deletes the message', async () => {
    const id = sqs.add(refine, body(1), stageAttrs(StageId.Refine), 1);
    const other = sqs.add(refine, body(2), stageAttrs(StageId.Refine), 2);
    await redrive.redrive(refine, id);
    expect(stack.invoked).toEqual([{ fn: fnArn(StageId.Refine), type: 'Event', payload: body(1) }]);
    expect(sqs.ids(refine)).toEqual([other]);
    expect(sqs.visible(refine)).toBe(1);
  });

  it('keeps the message, visible, when Lambda does not accept the invoke, and redrives it once Lambda does', async () => {
    const id = sqs.add(refine, body(1), stageAttrs(StageId.Refine), 1);
    stack.throttleAfter = 0;
    await expect(redrive.redrive(refine, id)).rejects.toMatchObject({ name: 'RedriveError', code: 'TooManyRequestsException', retryable: true });
    expect(sqs.ids(refine)).toEqual([id]);
    expect(sqs.visible(refine)).toBe(1);
    stack.throttleAfter = Number.POSITIVE_INFINITY;
    await redrive.redrive(refine, id);
    expect(stack.invoked.map((i) => i.payload)).toEqual([body(1)]);
    expect(sqs.size(refine)).toBe(0);
  });

  it.each([
    ['a function of this stack the rule does not target', refine, attrs(ruleArn(PREFIX, `${PREFIX}-${row(StageId.Refine).id}`), fnArn(StageId.Forecast)), /no longer a target of rule/],
    ['a function of another account', refine, attrs(ruleArn(PREFIX, `${PREFIX}-${row(StageId.Refine).id}`), `arn:aws:lambda:us-east-1:999999999999:function:x`), /not in the account and region/],
    ['a target that is neither a Lambda function nor a queue', refine, attrs(ruleArn(PREFIX, `${PREFIX}-${row(StageId.Refine).id}`), `arn:aws:sns:us-east-1:${ACCOUNT}:elsewhere`), /is not a Lambda function/],
    ['a queue the rule does not target', refine, attrs(ruleArn(PREFIX, `${PREFIX}-${row(StageId.Refine).id}`), `arn:aws:sqs:us-east-1:${ACCOUNT}:elsewhere`), /no longer a target of rule/],
    ['a rule on another bus', refine, attrs(ruleArn('other-bus', `${PREFIX}-${row(StageId.Refine).id}`), fnArn(StageId.Refine)), /is not the stage rule of this queue/],
    ['the rule of another queue', refine, { ...stageAttrs(StageId.Forecast), TARGET_ARN: fnArn(StageId.Refine) }, /is not the stage rule of this queue/],
    ['a message with a rule but no target', refine, { RULE_ARN: ruleArn(PREFIX, `${PREFIX}-${row(StageId.Refine).id}`) }, /has no TARGET_ARN attribute/],
    ['a message without attributes outside a stage rule DLQ', `${PREFIX}-${FORWARDING_RULE_ID}-dlq`, {}, /its target is unknown/],
  ])('refuses %s, invoking nothing and keeping the message', async (_what, queue, attributes, reason) => {
    const id = sqs.add(queue, body(1), attributes, 1);
    await expectRefusedAndKept(queue, id, reason);
  });

  it('refuses a body that is not an event, and names a message already gone', async () => {
    const id = sqs.add(refine, 'not json', stageAttrs(StageId.Refine), 1);
    await expect(redrive.redrive(refine, id)).rejects.toThrow(/body is not an event/);
    await expect(redrive.redrive(refine, 'no-such-id')).rejects.toMatchObject({ code: 'MessageNotFound', retryable: false });
    expect(sqs.ids(refine)).toEqual([id]);
    expect(stack.invoked).toHaveLength(0);
  });

  it('keeps the message when it cannot be deleted after the invoke, saying it was delivered (a later redrive delivers it again)', async () => {
    const id = sqs.add(refine, body(1), stageAttrs(StageId.Refine), 1);
    sqs.throttleDeletes = true;
    await expect(redrive.redrive(refine, id)).rejects.toMatchObject({ code: 'RequestThrottled', message: expect.stringMatching(/was delivered; it stays in the queue/) });
    expect(stack.invoked).toHaveLength(1);
    expect(sqs.ids(refine)).toEqual([id]);
    expect(sqs.visible(refine)).toBe(1);
  });

  it('--all redrives every message of every queue once, and keeps and reports the refused ones', async () => {
    const sent = new Map<string, string>();
    let n = 0;
    for (const stage of [StageId.Refine, StageId.Forecast, StageId.Alert]) {
      for (let i = 0; i < (stage === StageId.Refine ? 23 : 3); i += 1) {
        n += 1;
        sent.set(body(n), fnArn(stage));
        sqs.add(row(stage).deadLetterQueue, body(n), stageAttrs(stage), n);
      }
    }
    const forwardQueue = `${PREFIX}-${FORWARDING_RULE_ID}-dlq`;
    const forwarded = sqs.add(forwardQueue, { source: 'aws.s3', 'detail-type': 'Object Created', detail: {} }, attrs(ruleArn('default', `${PREFIX}-${FORWARDING_RULE_ID}`), `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/${PREFIX}`), 0);
    const stale = sqs.add(refine, body(999), stageAttrs(StageId.Forecast), 0);
    const summary = await redrive.redriveAll(queues);
    expect(summary.redriven).toBe(29);
    expect(summary.refused.map((r) => r.messageId).sort()).toEqual([forwarded, stale].sort());
    expect(summary.refused.find((r) => r.messageId === forwarded)?.reason).toMatch(/not a Lambda function/);
    expect(new Map(stack.invoked.map((i) => [i.payload, i.fn]))).toEqual(sent);
    expect(stack.invoked).toHaveLength(29);
    expect(stack.invoked.every((i) => i.type === 'Event')).toBe(true);
    expect(queues.flatMap((q) => sqs.ids(q)).sort()).toEqual([forwarded, stale].sort());
    expect(sqs.visible(refine) + sqs.visible(forwardQueue)).toBe(2);
  });

  it('--all stops at an invoke Lambda does not accept, losing nothing: each message is either delivered and deleted or still queued', async () => {
    const bodies: string[] = [];
    for (let i = 0; i < 15; i += 1) {
      bodies.push(body(i));
      sqs.add(refine, body(i), stageAttrs(StageId.Refine), i);
    }
    stack.throttleAfter = 7;
    const error: unknown = await redrive.redriveAll(queues).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedriveError);
    expect(error).toMatchObject({ code: 'TooManyRequestsException', retryable: true, message: expect.stringMatching(/^redrive stopped after 7 invoke\(s\)/) });
    expect(stack.invoked).toHaveLength(7);
    expect(sqs.size(refine)).toBe(8);
    expect(sqs.visible(refine)).toBe(8);
    stack.throttleAfter = Number.POSITIVE_INFINITY;
    expect(await redrive.redriveAll(queues)).toEqual({ redriven: 8, refused: [] });
    expect(stack.invoked.map((i) => i.payload).sort()).toEqual([...bodies].sort());
    expect(sqs.size(refine)).toBe(0);
  });

  it('refuses a Lambda on-failure record: no stage function is invoked asynchronously any more', async () => {
    const record = { version: '1.0', requestContext: { functionArn: `${fnArn(StageId.Refine)}:$LATEST`, condition: 'RetriesExhausted', approximateInvokeCount: 3 }, requestPayload: JSON.parse(body(1)) as unknown };
    const id = sqs.add(refine, record, {}, 1);
    await expectRefusedAndKept(refine, id, /on-failure record/);
  });
});
