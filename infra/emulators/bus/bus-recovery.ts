import { DeadLetterQueues } from './dead-letter-queues';
import type { Delivery } from './delivery-dispatcher';
import { EventRecordSchema, JournalRecordSchema, deliveryKey, type DeadLetterMessage } from './log-records';
import { SegmentedLog } from './segmented-log';

/** A pending delivery found on disk. */
export type RecoveredDelivery = Delivery;

/** What the bus needs to resume after a restart. */
export interface RecoveredState {
  readonly pending: RecoveredDelivery[];
  /** Pending deliveries per event-log segment; a non-active segment at 0 can be deleted. */
  readonly outstanding: Map<number, number>;
  readonly nextSeq: number;
  readonly deadLetters: DeadLetterQueues;
}

/**
 * Rebuilds the bus's delivery state from its logs after a start or a crash, and compacts them.
 *
 * Every delivery listed by an event record and not settled by a journal record is pending again, with
 * its failed-attempt count restored. Event segments with nothing pending (except the last, which will
 * be appended to) are deleted; then the journal is rewritten to what still matters (settlements of
 * events in the surviving segments, attempt counts of pending deliveries, live DLQ messages).
 */
export async function recoverBusLogs(eventsDir: string, journalDir: string): Promise<RecoveredState> {
  const settled = new Set<string>();
  const attempts = new Map<string, number>();
  const dlq = new Map<string, { readonly seq: number; readonly index: number; readonly message: DeadLetterMessage }>();
  let maxSeq = 0;
  await SegmentedLog.read(journalDir, (raw) => {
    const parsed = JournalRecordSchema.safeParse(raw);
    if (!parsed.success) return;
    const record = parsed.data;
    if (record.t === 'del') {
      dlq.delete(`${record.q}/${record.id}`);
      return;
    }
    maxSeq = Math.max(maxSeq, record.s);
    const key = deliveryKey(record.s, record.i);
    if (record.t === 'att') attempts.set(key, Math.max(attempts.get(key) ?? 0, record.n));
    else settled.add(key);
    if (record.t === 'dlq') dlq.set(`${record.m.queue}/${record.m.messageId}`, { seq: record.s, index: record.i, message: record.m });
  });

  const pending: RecoveredDelivery[] = [];
  const outstanding = new Map<number, number>();
  const settledBySegment = new Map<number, string[]>();
  await SegmentedLog.read(eventsDir, (raw, segment) => {
    const parsed = EventRecordSchema.safeParse(raw);
    if (!parsed.success) return;
    const record = parsed.data;
    maxSeq = Math.max(maxSeq, record.s);
    if (!outstanding.has(segment)) outstanding.set(segment, 0);
    record.d.forEach(([ruleArn, targetId], index) => {
      const key = deliveryKey(record.s, index);
      if (settled.has(key)) {
        const keys = settledBySegment.get(segment) ?? [];
        keys.push(JSON.stringify({ t: 'done', s: record.s, i: index }));
        settledBySegment.set(segment, keys);
        return;
      }
      outstanding.set(segment, (outstanding.get(segment) ?? 0) + 1);
      pending.push({ seq: record.s, index, at: record.at, event: record.ev, ruleArn, targetId, attempts: attempts.get(key) ?? 0, segment });
    });
  });

  const segments = await SegmentedLog.segmentIds(eventsDir);
  const active = segments[segments.length - 1];
  const log = await SegmentedLog.open(eventsDir);
  for (const segment of segments) {
    if (segment !== active && (outstanding.get(segment) ?? 0) === 0) {
      await log.deleteSegment(segment);
      outstanding.delete(segment);
      settledBySegment.delete(segment);
    }
  }
  await log.close();

  const deadLetters = new DeadLetterQueues();
  const journal: string[] = [...settledBySegment.values()].flat();
  for (const delivery of pending) {
    if (delivery.attempts > 0) journal.push(JSON.stringify({ t: 'att', s: delivery.seq, i: delivery.index, n: delivery.attempts }));
  }
  for (const { seq, index, message } of dlq.values()) {
    deadLetters.add(message);
    journal.push(JSON.stringify({ t: 'dlq', s: seq, i: index, m: message }));
  }
  await SegmentedLog.replaceAll(journalDir, journal);
  return { pending, outstanding, nextSeq: maxSeq + 1, deadLetters };
}
