import { ConfigurationError } from '../contracts/configuration-error';
import { parseContract } from '../contracts/contract-violation-error';
import { S3ObjectCreatedEventSchema } from '../contracts/aws-events';
import { DomainDetailType, type LakeObject } from '../contracts/domain-events';
import { StageId } from '../events/stage-ids';
import { datasetOfKey, runIdOf } from './stage-kit/naming';
import { checkDeclaredColumns } from './stage-kit/declared-columns';
import { inspectRawFile } from './stage-kit/inspect-raw-file';
import { reportFailure } from './stage-kit/report-failure';
import { runStage } from './stage-kit/run-stage';
import { classifyError, PoisonInputError } from './stage-kit/stage-error';
import { stageLogger } from './stage-kit/stage-logger';
import { publishOrRetry } from './stage-kit/publish-or-retry';
import { declareNeeds, type DepsOf } from './stage-needs';

/** The ports and access this stage needs: all it is handed, and what its role is granted on AWS. */
export const needs = declareNeeds({ zones: { raw: 'read-delete', quarantine: 'write' }, runs: true, idempotency: true, publisher: true, inspector: true });
type Deps = DepsOf<typeof needs>;

const logger = stageLogger(StageId.RegisterLanding);
const STAGE = StageId.RegisterLanding;

/**
 * Registers one landed raw object as a run: resolves its dataset from the first key segment, checks
 * the file with DuckDB (readable as its format, not empty), checks that it holds every declared
 * column with its declared type (`schema` when not: before the crawl or the refine reads a row of it),
 * records its rows and event-time range, and announces `RawLanded`. A file that fails a check is moved
 * to quarantine under the same key and reported with `StageFailed`; it never blocks other files.
 * Idempotent on (key, etag).
 */
export async function registerLanding(object: LakeObject, deps: Deps): Promise<void> {
  const runId = runIdOf(object.key, object.etag);
  const dataset = datasetOfKey(object.key);
  // A child per landing: appendKeys on the shared logger would stamp concurrent landings with each other's run id.
  const log = logger.createChild({ persistentKeys: { runId, dataset } });
  const now = () => deps.clock().toISOString();
  await deps.runs.recordLanding({ runId, dataset, object, landedAt: now() });
  await deps.runs.transition({ runId, stage: STAGE, status: 'running', at: now() });
  try {
    const found = await deps.datasets.getDataset(dataset);
    if (!found) {
      const known = await deps.datasets.listDatasets();
      throw new PoisonInputError(`unknown dataset ${JSON.stringify(dataset)} for ${object.key} (known datasets: ${known.join(', ') || 'none'}; the first key segment names the dataset)`);
    }
    const facts = await inspectRawFile(object.key, await deps.objects.getObject(object.bucket, object.key), found.manifest, deps.inspector);
    if (facts.columns) checkDeclaredColumns(found.manifest, object.key, facts.columns);
    // The rows counted here are the left side of the object's row accounting at refine.
    if (facts.eventTimeRange) await deps.runs.setEventTimeRange(runId, { min: facts.eventTimeRange.from, max: facts.eventTimeRange.to }, facts.records > 0 ? facts.records : undefined);
    await deps.runs.transition({ runId, stage: STAGE, status: 'succeeded', at: now() });
    const landed = { ...object, ...(facts.eventTimeRange ? { eventTimeRange: facts.eventTimeRange } : {}) };
    await publishOrRetry(deps.publisher, [{ detailType: DomainDetailType.RawLanded, detail: { schemaVersion: 1, runId, dataset, object: landed } }]);
    log.info('registered landing', { key: object.key, records: facts.records });
  } catch (err) {
    if (classifyError(err).retryable) throw err;
    // A broken dataset configuration is not the file's fault: the run fails (alerting) and the file stays, for a replay once fixed.
    if (err instanceof ConfigurationError) return reportFailure(deps, { stage: STAGE, runId, object, dataset }, err);
    await quarantine(object, runId, dataset, err, deps, log);
  }
}

async function quarantine(object: LakeObject, runId: string, dataset: string, err: unknown, deps: Deps, log: typeof logger): Promise<void> {
  const destination = { bucket: deps.topology.buckets.quarantine, key: object.key };
  const head = await deps.objects.headObject(object.bucket, object.key);
  if (head && head.etag === object.etag) await deps.objects.moveObject({ bucket: object.bucket, key: object.key }, destination);
  log.warn('quarantined landing', { key: object.key, reason: classifyError(err).message });
  const knownName = /^[a-z][a-z0-9_]{0,63}$/.test(dataset) ? { dataset } : {};
  await reportFailure(deps, { stage: STAGE, runId, object, ...knownName, zone: 'quarantine', runStatus: 'quarantined' }, err);
}

/** The Lambda-shaped entry: parses the S3 event with its contract, then registers it once per (key, etag). */
export async function handler(event: unknown, deps: Deps): Promise<void> {
  let object: LakeObject | undefined;
  await runStage(deps, () => ({ stage: STAGE, ...(object ? { object } : {}) }), async () => {
    const parsed = parseContract(S3ObjectCreatedEventSchema, event, 'S3 Object Created event');
    const o = parsed.detail.object;
    object = { bucket: parsed.detail.bucket.name, key: o.key, etag: o.etag, size: o.size };
    const once = deps.idempotency.makeIdempotent((input: LakeObject) => registerLanding(input, deps), {
      name: STAGE,
      keyPath: '[bucket, key, etag]',
    });
    await once(object);
  });
}
