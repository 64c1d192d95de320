/**
 * Child process of the crash test: runs the local bus against an HTTP target.
 *
 * `node --import tsx crash-child.ts <home> <targetUrl> publish <count>` installs the rule, starts
 * delivery and publishes `count` events (detail `{n}`), printing `A <id> <n>` once each PutEvents call
 * has resolved (the events are then durable), then starts delivery. `... recover` only reopens and delivers. Both print
 * `D <eventId> <condition> <retryAttempts>` per DLQ message once quiescent, then `DONE`.
 */
import { LocalEventBus } from '../../../../infra/emulators/bus/local-event-bus';

async function main(): Promise<void> {
  const [home, targetUrl, mode, countText] = process.argv.slice(2);
  if (home === undefined || targetUrl === undefined) throw new Error('usage: crash-child <home> <targetUrl> publish|recover [count]');
  const bus = await LocalEventBus.open({ home, backoffBaseMs: 10, backoffMaxMs: 100, concurrency: 32 });
  if (mode === 'publish') {
    await bus.putRule({ Name: 'crash', EventBusName: 'tributary', EventPattern: JSON.stringify({ source: ['crash.test'] }) });
    await bus.putTargets({
      Rule: 'crash',
      EventBusName: 'tributary',
      Targets: [{ Id: 'http', Arn: targetUrl, RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 }, DeadLetterConfig: { Arn: 'crash-dlq' } }],
    });
  }
  if (mode === 'publish') {
    const count = Number(countText ?? '10000');
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < count) {
          const first = next;
          next += 10;
          const numbers = Array.from({ length: Math.min(10, count - first) }, (_, i) => first + i);
          const response = await bus.putEvents(numbers.map((n) => ({ Source: 'crash.test', DetailType: 'Crash Test', Detail: JSON.stringify({ n }), EventBusName: 'tributary' })));
          process.stdout.write(response.Entries.map((entry, i) => `A ${entry.EventId ?? '-'} ${numbers[i] ?? -1}\n`).join(''));
        }
      }),
    );
    process.stdout.write('PUBLISHED\n');
  }
  bus.start();
  await bus.whenQuiescent();
  const lines = bus.listDeadLetterMessages('crash-dlq').map((message) => `D ${message.event.id} ${message.attributes.EXHAUSTED_RETRY_CONDITION} ${message.attributes.RETRY_ATTEMPTS}\n`);
  process.stdout.write(`${lines.join('')}DONE\n`);
  await bus.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
