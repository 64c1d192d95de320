import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { z } from 'zod';
import { StageFailedDetailSchema } from '../../../contracts/domain-events';
import type { DeadLetterMessage } from '../../emulators/bus/log-records';

/** One dead-lettered delivery as the CLI's table and the console's list show it: where it failed and why. */
export type DeadLetterRow = {
  readonly queue: string;
  readonly id: string;
  readonly sent: string;
  readonly rule: string;
  readonly target: string;
  readonly event: string;
  readonly eventId: string;
  readonly error: string;
  readonly attempts: string;
  readonly exhausted: string;
  readonly message: string;
};

/** The last part of an ARN (`…:rule/bus/name` → `name`), which is what a person recognises. */
function lastName(arn: string): string {
  return arn.split(/[/:]/).pop() ?? arn;
}

/** Flattens dead-letter messages into rows carrying EventBridge's error attributes, oldest first. */
export function deadLetterRows(messages: readonly DeadLetterMessage[]): DeadLetterRow[] {
  return [...messages]
    .sort((a, b) => a.sentAt.localeCompare(b.sentAt))
    .map((m) => ({
      queue: m.queue,
      id: m.messageId,
      sent: m.sentAt,
      rule: lastName(m.attributes.RULE_ARN),
      target: m.targetId,
      event: m.event['detail-type'],
      eventId: m.event.id,
      error: m.attributes.ERROR_CODE,
      attempts: m.attributes.RETRY_ATTEMPTS,
      exhausted: m.attributes.EXHAUSTED_RETRY_CONDITION,
      message: m.attributes.ERROR_MESSAGE,
    }));
}

/** What redriving needs from a pipeline: its dead letters and the redrive of one. */
export interface DeadLetterSource {
  listDeadLetters(): Promise<readonly DeadLetterMessage[]>;
  redrive(queue: string, messageId: string): Promise<void>;
}

/** The outcome of a redrive: how many went back to their rule target, and each one kept with the reason. */
export interface RedriveSummary {
  readonly redriven: number;
  readonly refused: ReadonlyArray<{ readonly queue: string; readonly id: string; readonly reason: string }>;
}

/**
 * Re-delivers one dead-lettered delivery (`one`) or every one to its rule target. A message that
 * cannot be redriven (its rule or target is gone) stays queued and is listed with the reason; the
 * others still go.
 */
export async function redriveDeadLetters(source: DeadLetterSource, one?: { readonly queue: string; readonly id: string }): Promise<RedriveSummary> {
  const targets = one ? [one] : (await source.listDeadLetters()).map((m) => ({ queue: m.queue, id: m.messageId }));
  const refused: Array<{ queue: string; id: string; reason: string }> = [];
  for (const t of targets) {
    try {
      await source.redrive(t.queue, t.id);
    } catch (error) {
      if (one) throw error;
      refused.push({ ...t, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  return { redriven: targets.length - refused.length, refused };
}

const AlertLineSchema = z.object({ time: z.string(), title: z.string(), body: z.string(), detail: StageFailedDetailSchema });

/** One alert of the home's feed (`<home>/alerts.jsonl`), as the alert stage sent it. */
export type AlertRecord = z.infer<typeof AlertLineSchema>;

/**
 * The newest `limit` alerts of the home, newest first, from the file every local alert is appended
 * to. A line that is not an alert (a torn last line after a crash) is skipped, never fatal.
 */
export async function readAlerts(home: string, limit: number): Promise<AlertRecord[]> {
  const text = await readFile(path.join(home, 'alerts.jsonl'), 'utf8').catch((error: unknown) => {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return '';
    throw error;
  });
  const alerts: AlertRecord[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      continue;
    }
    const alert = AlertLineSchema.safeParse(parsed);
    if (alert.success) alerts.push(alert.data);
  }
  return alerts.slice(-limit).reverse();
}
