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
 * events in the surviving segments, attempt counts of pending deliveries, live DLQ messages), headed
 * by a `base` record that folds in the retries of every settled delivery, per rule, so the console's
 * retry counts survive the compaction.
 */
export async function recoverBusLogs(eventsDir: string, journalDir: string): Promise<RecoveredState> {
  const settled = new Set<string>();
  const attempts = new Map<string, number>();
  const dlq = new Map<string, { readonly seq: number; readonly index: number; readonly message: DeadLetterMessage }>();
  let maxSeq = 0;
  // Retries folded by the newest compaction, and those journalled since (per delivery: its highest count).
  let retried = new Map<string, number>();
  const retries = new Map<string, { readonly n: number; readonly rule: string | undefined }>();
  await SegmentedLog.read(journalDir, (raw) => {
    const parsed = JournalRecordSchema.safeParse(raw);
    if (!parsed.success) return;
    const record = parsed.data;
    if (record.t === 'base') {
      retried = new Map(Object.entries(record.retried));
      retries.clear();
      return;
    }
    if (record.t === 'del') {
      dlq.delete(`${record.q}/${record.id}`);
      return;
    }
    maxSeq = Math.max(maxSeq, record.s);
    const key = deliveryKey(record.s, record.i);
    if (record.t === 'att') {
      attempts.set(key, Math.max(attempts.get(key) ?? 0, record.n));
      const before = retries.get(key);
      retries.set(key, { n: Math.max(before?.n ?? 0, record.n), rule: record.r ?? before?.rule });
    } else settled.add(key);
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
      const counted = retries.get(key);
      if (counted !== undefined && counted.rule === undefined) retries.set(key, { ...counted, rule: ruleArn });
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
  const owed = new Set(pending.map((d) => deliveryKey(d.seq, d.index)));
  for (const [key, { n, rule }] of retries) {
    if (!owed.has(key) && rule !== undefined) retried.set(rule, (retried.get(rule) ?? 0) + n);
  }
  const journal: string[] = [JSON.stringify({ t: 'base', retried: Object.fromEntries(retried) }), ...[...settledBySegment.values()].flat()];
  for (const delivery of pending) {
    if (delivery.attempts > 0) journal.push(JSON.stringify({ t: 'att', s: delivery.seq, i: delivery.index, n: delivery.attempts, r: delivery.ruleArn }));
  }
  for (const { seq, index, message } of dlq.values()) {
    deadLetters.add(message);
    journal.push(JSON.stringify({ t: 'dlq', s: seq, i: index, m: message }));
  }
  await SegmentedLog.replaceAll(journalDir, journal);
  return { pending, outstanding, nextSeq: maxSeq + 1, deadLetters };
}
