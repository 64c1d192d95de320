import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { InvalidCrawlerInputError } from '../../../handlers/ports/crawler';
import { readJsonFile, writeJsonAtomic } from '../catalog/atomic-json';
import { isGone } from '../object-store/walk-files';

/** One S3 object event as a crawler in event mode consumes it: the bucket and key that changed. */
export const ObjectEventSchema = z.object({ bucket: z.string().min(1), key: z.string().min(1) });
/** One object event. */
export type ObjectEvent = z.infer<typeof ObjectEventSchema>;

const MessageSchema = z.object({ events: z.array(ObjectEventSchema) });

/** A batch of events received from the queue, and the handle that deletes exactly that batch. */
export interface ReceivedEvents {
  readonly events: readonly ObjectEvent[];
  /** Message file names, for `delete`. */
  readonly receipts: readonly string[];
}

const QUEUE_ARN = /^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:([A-Za-z0-9_-]{1,80})$/;
/** Glue consumes at most this many messages in one crawl. */
export const MAX_MESSAGES_PER_CRAWL = 100_000;

/**
 * The local stand-in for the SQS queue of a bucket's object events that a Glue crawler in
 * `CRAWL_EVENT_MODE` reads: `<home>/queues/<queue name>/`, one JSON file per message, written
 * atomically. A crawl receives the messages present when it starts and deletes them only after the
 * catalog holds what they led to, so a crash in between leaves them queued (SQS's visibility
 * timeout) and the next crawl reads those folders again; messages sent during a crawl are not
 * deleted by it.
 */
export class CrawlerEventQueue {
  private readonly dir: string;

  private constructor(
    home: string,
    readonly arn: string,
    name: string,
  ) {
    this.dir = path.join(home, 'queues', name);
  }

  /** The queue an ARN names (`arn:aws:sqs:<region>:<account>:<name>`), kept under `home`. */
  static of(home: string, arn: string): CrawlerEventQueue {
    const name = QUEUE_ARN.exec(arn)?.[1];
    if (name === undefined) throw new InvalidCrawlerInputError(`EventQueueArn ${JSON.stringify(arn)} is not an SQS queue ARN (arn:aws:sqs:<region>:<account>:<name>)`);
    return new CrawlerEventQueue(home, arn, name);
  }

  /** Queues one message holding `events` (durable when this resolves). */
  async send(events: readonly ObjectEvent[]): Promise<void> {
    if (events.length === 0) return;
    await writeJsonAtomic(path.join(this.dir, `${Date.now().toString().padStart(15, '0')}-${randomUUID()}.json`), { events });
  }

  /** The messages queued now (oldest first, at most `MAX_MESSAGES_PER_CRAWL`); a torn or foreign file is skipped. */
  async receive(): Promise<ReceivedEvents> {
    const names = (await fs.readdir(this.dir).catch((err: unknown) => (isGone(err) ? [] : Promise.reject(err)))).filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort();
    const events: ObjectEvent[] = [];
    const receipts: string[] = [];
    for (const name of names.slice(0, MAX_MESSAGES_PER_CRAWL)) {
      const parsed = MessageSchema.safeParse(await readJsonFile(path.join(this.dir, name)).catch(() => undefined));
      if (!parsed.success) continue;
      events.push(...parsed.data.events);
      receipts.push(name);
    }
    return { events, receipts };
  }

  /** Deletes received messages (those already gone are ignored). */
  async delete(receipts: readonly string[]): Promise<void> {
    for (const name of receipts) await fs.rm(path.join(this.dir, name), { force: true });
  }
}
