import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { DatasetNameSchema, DomainDetailType } from '../../../contracts/domain-events';
import type { EventPublisher } from '../../../events/publisher';
import { StageId } from '../../../events/stage-ids';
import type { RunStore } from '../../../handlers/ports/run-store';
import { runIdOf } from '../../../handlers/stage-kit/naming';
import { stageFailedDetail } from '../../../handlers/stage-kit/report-failure';
import { PoisonInputError } from '../../../handlers/stage-kit/stage-error';
import { bucketOf, objectPath, Zone } from '../../local/lake-paths';
import { quarantineKeyOf } from './quarantine-key';

/** A raw file whose name is not a valid object key, as the watcher found it. */
export interface InvalidRawFile {
  readonly home: string;
  readonly key: string;
  readonly filePath: string;
  readonly etag: string;
  readonly size: number;
  /** Why the name is invalid (the object-key validator's error). */
  readonly reason: Error;
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The run-state calls a quarantined name needs, so `runs` lists it and `wait` counts it. */
export type QuarantineRunStore = Pick<RunStore, 'recordLanding' | 'transition'>;

/**
 * Announces a badly named raw file with `StageFailed` (stage `register-landing`, error class
 * `input`), naming the file, where it goes in quarantine and the command that lands it under a good
 * name; with a run store, the file is also a run, `quarantined` (both idempotent on key and etag).
 * Announce first, move after: a failure leaves the file in place to be tried again, so the file is
 * never moved aside without an alert. Returns false when the bus did not accept the event.
 */
export async function announceInvalidName(file: InvalidRawFile, publisher: EventPublisher, now: Date, runs?: QuarantineRunStore): Promise<boolean> {
  const quarantineKey = quarantineKeyOf(file.key);
  const target = objectPath(file.home, Zone.Quarantine, quarantineKey);
  const dataset = DatasetNameSchema.safeParse(file.key.split('/')[0]);
  const rest = file.key.split('/').slice(1).join('/');
  // eslint-disable-next-line no-control-regex
  const suggested = rest.replace(/[\\:\u0000-\u001f\u007f-\u009f]/g, '_');
  const inspect = dataset.success && suggested !== '' ? `tributary drop ${shellQuote(target)} --dataset ${dataset.data} --key ${shellQuote(suggested)}` : `ls -b ${shellQuote(path.dirname(target))}`;
  const error = new PoisonInputError(`raw file ${JSON.stringify(file.key)} has a name that is not a valid object key (${file.reason.message}); moved to s3://${bucketOf(Zone.Quarantine)}/${quarantineKey}; rename it and drop it again`);
  const object = { bucket: bucketOf(Zone.Quarantine), key: quarantineKey, etag: file.etag, size: file.size };
  const runId = runIdOf(file.key, file.etag);
  if (runs) {
    const at = now.toISOString();
    await runs.recordLanding({ runId, dataset: dataset.success ? dataset.data : (quarantineKey.split('/')[0] ?? ''), object, landedAt: at });
    await runs.transition({ runId, stage: StageId.RegisterLanding, status: 'quarantined', at, error: { errorClass: error.errorClass, message: error.message, retryable: false } });
  }
  const context = { stage: StageId.RegisterLanding, zone: Zone.Quarantine, ...(dataset.success ? { dataset: dataset.data } : {}), ...(runs ? { runId } : {}), object };
  const detail = { ...stageFailedDetail(context, error, now), inspect };
  const result = await publisher.publish([{ detailType: DomainDetailType.StageFailed, detail }]);
  return result.failed.length === 0;
}

/** Moves a badly named raw file to its quarantine key (same file system: a rename). */
export async function moveToQuarantine(file: Pick<InvalidRawFile, 'home' | 'key' | 'filePath'>): Promise<void> {
  const target = objectPath(file.home, Zone.Quarantine, quarantineKeyOf(file.key));
  await fs.mkdir(path.dirname(target), { recursive: true });
  await fs.rename(file.filePath, target);
}
