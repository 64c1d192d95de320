import { mkdir, readFile, writeFile, rename } from 'node:fs/promises';
import * as path from 'node:path';
import { DomainDetailType } from '../../../contracts/domain-events';
import type { DomainEventInput } from '../../../events/publisher';
import type { AlertSink } from '../../../handlers/ports/alert-sink';
import type { DomainEventPublisher } from '../../../handlers/ports/domain-event-publisher';
import { renderAlert } from '../../../handlers/alert';
import type { LocalEventBus } from '../../emulators/bus/local-event-bus';

/**
 * The local stand-in for the CloudWatch alarm on DLQ depth: every message that reaches a dead-letter
 * queue becomes a `StageFailed` (error class `delivery`) naming the rule, the target, the error and
 * the `tributary dlq` command — and, for the alert rule's own DLQ (paging itself failed), a direct
 * page, so a broken alert path cannot hide. Alarmed message ids are kept in `<home>/state/` so a
 * restart does not page twice.
 */
export class DlqAlarm {
  private alarmed = new Set<string>();
  private running: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly file: string,
    private readonly bus: LocalEventBus,
    private readonly publisher: DomainEventPublisher,
    private readonly alerts: AlertSink,
    private readonly alertQueue: string,
  ) {}

  static async open(home: string, bus: LocalEventBus, publisher: DomainEventPublisher, alerts: AlertSink, alertQueue: string): Promise<DlqAlarm> {
    const file = path.join(home, 'state', 'dlq-alarmed.json');
    const alarm = new DlqAlarm(file, bus, publisher, alerts, alertQueue);
    const text = await readFile(file, 'utf8').catch(() => '[]');
    const ids: unknown = JSON.parse(text);
    if (Array.isArray(ids)) alarm.alarmed = new Set(ids.filter((x): x is string => typeof x === 'string'));
    return alarm;
  }

  /**
   * Checks every `intervalMs` (as CloudWatch evaluates the DLQ-depth alarm), so a dead letter pages
   * while `up` runs and nobody waits on the pipeline; a failed check is reported on stderr and
   * retried at the next tick.
   */
  poll(intervalMs: number): void {
    if (intervalMs <= 0 || this.timer) return;
    this.timer = setInterval(() => {
      this.check().catch((err: unknown) => process.stderr.write(`tributary: dead-letter alarm: ${err instanceof Error ? err.message : String(err)}\n`));
    }, intervalMs);
    this.timer.unref();
  }

  /** Stops polling and waits for a check in flight. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Raises one alarm per new DLQ message; returns how many it raised. Checks never overlap (no message pages twice). */
  check(): Promise<number> {
    const next = this.running.then(() => this.checkOnce(), () => this.checkOnce());
    this.running = next.catch(() => undefined);
    return next;
  }

  private async checkOnce(): Promise<number> {
    let raised = 0;
    for (const { queue } of this.bus.listDeadLetterQueues()) {
      for (const m of this.bus.listDeadLetterMessages(queue)) {
        if (this.alarmed.has(m.messageId)) continue;
        const rule = m.attributes.RULE_ARN.split('/').pop() ?? m.attributes.RULE_ARN;
        const detail = {
          schemaVersion: 1 as const,
          stage: m.targetId,
          errorClass: 'delivery' as const,
          errorName: m.attributes.ERROR_CODE,
          message: `delivery of ${m.event['detail-type']} event ${m.event.id} by rule ${rule} failed after ${m.attributes.RETRY_ATTEMPTS} retries (${m.attributes.EXHAUSTED_RETRY_CONDITION}): ${m.attributes.ERROR_MESSAGE}`.slice(0, 2000),
          retryable: true,
          inspect: `tributary dlq list; tributary dlq redrive --queue ${queue} --id ${m.messageId}`,
          occurredAt: m.sentAt.replace(/\.\d{3}Z$/, 'Z'),
        };
        if (queue === this.alertQueue) await this.alerts.send(renderAlert(detail));
        else {
          const event: DomainEventInput = { detailType: DomainDetailType.StageFailed, detail };
          const result = await this.publisher.publish([event]);
          if (result.failed.length > 0) continue;
        }
        this.alarmed.add(m.messageId);
        raised++;
      }
    }
    if (raised > 0) await this.save();
    return raised;
  }

  private async save(): Promise<void> {
    await mkdir(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    await writeFile(tmp, JSON.stringify([...this.alarmed]));
    await rename(tmp, this.file);
  }
}
