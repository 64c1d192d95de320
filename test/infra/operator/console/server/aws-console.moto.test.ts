import { CreateArchiveCommand, CreateEventBusCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ruleTable } from '../../../../../events/rules';
import { StageId } from '../../../../../events/stage-ids';
import { awsOperations } from '../../../../../infra/aws/aws-operations';
import { deliveryQueueName } from '../../../../../infra/aws/lambda/delivery-routes';
import { openAwsConsole, type AwsConsole } from '../../../../../infra/operator/cli/commands/console-command';
import { chromium } from 'playwright-core';
import { mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import { MOTO_ACCOUNT, MOTO_REGION, describeOnMoto } from '../../../aws/moto/moto-server';
import { CHROMIUM, SCREENSHOT_DIR } from '../console-harness';

const PREFIX = 'tributary';
const refine = ruleTable({ busName: PREFIX, rawBucket: `${PREFIX}-raw`, resourcePrefix: PREFIX, athenaWorkgroup: PREFIX }).find((r) => r.target === StageId.Refine);
const ruleId = refine?.id ?? '';
const ruleName = `${PREFIX}-${ruleId}`;
const dlq = refine?.deadLetterQueue ?? '';
const deliveries = deliveryQueueName(ruleName);
const deliveriesArn = `arn:aws:sqs:${MOTO_REGION}:${MOTO_ACCOUNT}:${deliveries}`;
const body = '{"version":"0","id":"ev-1","detail-type":"TableCrawled","source":"tributary.pipeline","account":"123456789012","time":"2026-01-05T00:00:00Z","region":"us-east-1","resources":[],"detail":{"runId":"r1"}}';
const attributes = { RULE_ARN: `arn:aws:events:${MOTO_REGION}:${MOTO_ACCOUNT}:rule/${PREFIX}/${ruleName}`, TARGET_ARN: deliveriesArn, ERROR_CODE: 'TIMEOUT', ERROR_MESSAGE: 'timed out', EXHAUSTED_RETRY_CONDITION: 'MaximumRetryAttempts', RETRY_ATTEMPTS: '8' };

/**
 * `tributary console --aws` at the API: the console of a stack whose queues, bus, rule and archive
 * live in moto lists a real SQS dead letter with EventBridge's attributes, redrives it only with the
 * token its URL carries, replays a window to one rule, and says plainly what has no AWS source.
 */
describeOnMoto('the console of the deployed stack (`tributary console --aws`, moto server)', (moto) => {
  let sqs: SQSClient;
  let events: EventBridgeClient;
  let dynamodb: DynamoDBClient;
  let served: AwsConsole;
  let origin: string;
  let token: string;
  let dlqUrl: string;
  let deliveriesUrl: string;

  beforeAll(async () => {
    await moto().reset();
    sqs = new SQSClient(moto().clientConfig);
    events = new EventBridgeClient(moto().clientConfig);
    dynamodb = new DynamoDBClient(moto().clientConfig);
    const aws = awsOperations(PREFIX, { sqs, eventBridge: events, dynamodb });
    for (const queue of aws.deadLetterQueues) await sqs.send(new CreateQueueCommand({ QueueName: queue }));
    dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: dlq }))).QueueUrl ?? '';
    deliveriesUrl = (await sqs.send(new CreateQueueCommand({ QueueName: deliveries }))).QueueUrl ?? '';
    const busArn = (await events.send(new CreateEventBusCommand({ Name: PREFIX }))).EventBusArn ?? '';
    await events.send(new CreateArchiveCommand({ ArchiveName: aws.archiveName, EventSourceArn: busArn }));
    await events.send(new PutRuleCommand({ Name: ruleName, EventBusName: PREFIX, EventPattern: JSON.stringify(refine?.pattern) }));
    await events.send(new PutTargetsCommand({ Rule: ruleName, EventBusName: PREFIX, Targets: [{ Id: 'stage', Arn: deliveriesArn }] }));
    await deadLetter();
    served = await openAwsConsole(aws, PREFIX, 0);
    const url = new URL(served.url);
    origin = url.origin;
    token = /^#token=([0-9a-f]{64})$/.exec(url.hash)?.[1] ?? '';
  }, 60_000);
  afterAll(async () => {
    await served?.close();
    for (const client of [sqs, events, dynamodb]) client?.destroy();
  });

  const deadLetter = async (): Promise<void> => {
    const MessageAttributes = Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, { DataType: 'String', StringValue: v }]));
    await sqs.send(new SendMessageCommand({ QueueUrl: dlqUrl, MessageBody: body, MessageAttributes }));
  };
  const call = async (method: 'GET' | 'POST', path: string, payload?: unknown, withToken = false): Promise<{ status: number; json: Record<string, unknown> }> => {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(withToken ? { authorization: `Bearer ${token}` } : {}) };
    const response = await fetch(`${origin}${path}`, { method, headers, ...(payload === undefined ? {} : { body: JSON.stringify(payload) }) });
    return { status: response.status, json: asRecord(await response.json()) };
  };
  const visible = async (url: string): Promise<number> => Number((await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }))).Attributes?.ApproximateNumberOfMessages);

  it('prints a URL with a fresh token in the fragment, and the page is served', async () => {
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect((await fetch(`${origin}/`)).status).toBe(200);
    expect((await call('GET', '/api/session', undefined, true)).status).toBe(200);
  });

  it('lists the SQS dead letter with its attributes, refuses a redrive without the token, and redrives it with the token', async () => {
    const listed = await call('GET', '/api/dead-letters');
    expect(listed.json['messages']).toEqual([expect.objectContaining({ queue: dlq, rule: ruleName, target: deliveries, event: 'TableCrawled', eventId: 'ev-1', error: 'TIMEOUT', attempts: '8', exhausted: 'MaximumRetryAttempts', message: 'timed out' })]);
    const id = String((Array.isArray(listed.json['messages']) ? listed.json['messages'] : []).map((m: { id?: unknown }) => m.id)[0]);

    const refused = await call('POST', '/api/dead-letters/redrive', { queue: dlq, id });
    expect(refused.status).toBe(401);
    expect(await visible(dlqUrl)).toBe(1);

    const redriven = await call('POST', '/api/dead-letters/redrive', { queue: dlq, id }, true);
    expect(redriven).toEqual({ status: 200, json: { redriven: 1, refused: [] } });
    expect((await call('GET', '/api/dead-letters')).json['messages']).toEqual([]);
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: deliveriesUrl, MaxNumberOfMessages: 10 }));
    expect(Messages.map((m) => m.Body)).toEqual([body]);
  });

  it('replays a window of the archive to one rule with the token, and names a bad rule', async () => {
    const window = { from: '2026-01-01T00:00:00Z', to: new Date(Date.now() + 60_000).toISOString(), rule: ruleId };
    expect((await call('POST', '/api/events/replay', window)).status).toBe(401);
    const started = await call('POST', '/api/events/replay', window, true);
    expect(started).toMatchObject({ status: 200, json: { name: expect.stringMatching(/^console-replay-/), rule: ruleId, state: expect.stringMatching(/^(STARTING|RUNNING|COMPLETED)$/) } });
    expect((await call('GET', `/api/events/replay/${String(started.json['name'])}`)).json['state']).toBe('COMPLETED');
    const bad = await call('POST', '/api/events/replay', { ...window, rule: 'no-such-rule' }, true);
    expect(bad.status).toBe(400);
    expect(bad.json['message']).toMatch(/^no rule "no-such-rule"/);
  });

  it('answers the pages with no AWS source with a plain 501 the page shows', async () => {
    for (const path of ['/api/catalog', '/api/forecasts', '/api/events']) {
      const answer = await call('GET', path);
      expect(answer.status).toBe(501);
      expect(answer.json['message']).toMatch(/^Not available with `tributary console --aws`: /);
    }
    expect((await call('POST', '/api/sql', { sql: 'SELECT 1' }, true)).status).toBe(501);
  });

  it('in Chromium: the Dead letters page lists the SQS dead letter and its Redrive button empties the DLQ; the SQL page says it has no AWS source', async () => {
    await deadLetter();
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    const browser = await chromium.launch({ executablePath: CHROMIUM.executablePath, args: [...CHROMIUM.args], headless: true });
    try {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      await page.goto(`${served.url}#/dead-letters`);
      await page.waitForSelector('[data-testid="session"]:has-text("actions enabled")');
      await page.waitForSelector('[data-testid="dead-letter-count"]:has-text("1")');
      await page.waitForSelector('text=timed out');
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'aws-dead-letters.png'), fullPage: true });
      await page.click('table button:has-text("Redrive")');
      await page.waitForSelector('[role="status"]:has-text("Redrove 1 message(s)")');
      await page.waitForSelector('[data-testid="dead-letter-count"]:has-text("0")');
      expect(await visible(dlqUrl)).toBe(0);
      await page.goto(`${origin}/#/sql`);
      expect(await page.textContent('[data-testid="aws-note"]')).toMatch(/does not run SQL/);
      await page.goto(`${origin}/#/events`);
      await page.waitForSelector('form[aria-label="replay"]');
      expect(await page.textContent('[data-testid="aws-note"]')).toMatch(/no live tail/);
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'aws-events.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  }, 60_000);
});

/** The JSON body as a record (the API answers objects). */
function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.fromEntries(Object.entries(value)) : {};
}
