import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { IndexedRunStates, type RunState, type RunSummary } from '../../handlers/ports/run-store';
import { InvalidRunStateInputError } from '../../handlers/ports/run-store-errors';
import { batchGet, batchWrite } from './batch-items';
import { isConditionalCheckFailed, translateDynamoDbError } from './dynamodb-errors';
import { expressionNames } from './expression-names';
import { queryAll } from './query-all';
import { parseItem, RunItemSchema, summaryState, toRunSummary, type RunItem, type SummaryState } from './run-store-items';
import { RunKeys } from './run-store-keys';
import type { RunTable } from './run-item-access';

const WaitItemSchema = z.object({ runId: z.string(), version: z.string() });
const INDEXED: readonly RunState[] = Object.values(IndexedRunStates);

function isIndexed(state: SummaryState | undefined): state is SummaryState {
  return state !== undefined && INDEXED.some((s) => s.stage === state.stage && s.status === state.status);
}

function sameState(a: SummaryState | undefined, b: SummaryState | undefined): boolean {
  return a !== undefined && b !== undefined && a.stage === b.stage && a.status === b.status;
}

/**
 * The runs of each dataset in each of `IndexedRunStates`, as items of the run table
 * (`WAIT#<dataset>#<stage>#<status>` / `<runId>`, holding the version of the transition that put the
 * run there), so the events that wait on them read the runs found rather than every run kept.
 *
 * The items are a superset of the truth, never a subset: a transition that brings a run into an
 * indexed state puts its item before the run item is written, and one that takes it out deletes the
 * item after (conditioned on the version, so a later re-entry's item is never deleted by an earlier
 * exit). A crash between the two writes, or concurrent transitions of other stages, can leave an item
 * of a run that moved on; `list` checks every item against the run item (consistent read), leaves
 * those out and deletes them. Run tables written before this index existed are indexed once, by the
 * first `list`, from the run listing (`WAIT-INDEX` / `v1` marks it done).
 */
export class RunStateIndex {
  private built = false;

  constructor(
    private readonly table: RunTable,
    private readonly scanRuns: () => Promise<RunItem[]>,
  ) {}

  /** Before a transition's run-item write: the item of the state it brings the run into, if indexed and new. */
  async beforeWrite(run: RunItem, before: SummaryState | undefined, after: SummaryState | undefined): Promise<void> {
    if (!isIndexed(after) || (sameState(before, after) && before?.version === after.version)) return;
    await this.put(run.dataset, run.runId, after);
  }

  /** After a transition's run-item write: deletes the item of the indexed state it took the run out of. */
  async afterWrite(run: RunItem, before: SummaryState | undefined, after: SummaryState | undefined): Promise<void> {
    if (!isIndexed(before) || sameState(before, after)) return;
    await this.deleteIfVersion(run.dataset, run.runId, before);
  }

  /** The runs of `dataset` in `state`, checked against their run items, by run id. */
  async list(dataset: string, state: RunState): Promise<RunSummary[]> {
    if (!INDEXED.some((s) => s.stage === state.stage && s.status === state.status)) {
      throw new InvalidRunStateInputError(`runs are listed by state only for ${INDEXED.map((s) => `${s.stage}/${s.status}`).join(', ')}; got ${state.stage}/${state.status}`);
    }
    await this.ensureBuilt();
    const waits = (await queryAll(
      this.table.doc,
      { TableName: this.table.name, ConsistentRead: true, KeyConditionExpression: '#pk = :pk', ExpressionAttributeNames: expressionNames('#pk'), ExpressionAttributeValues: { ':pk': RunKeys.waitingPartition(dataset, state.stage, state.status) } },
      `list runs of ${dataset} in ${state.stage}/${state.status}`,
    )).map((i) => parseItem(WaitItemSchema, i, 'run-state index'));
    const runs = new Map((await batchGet(this.table.doc, this.table.name, waits.map((w) => RunKeys.run(w.runId)))).map((i) => parseItem(RunItemSchema, i, 'run')).map((r) => [r.runId, r]));
    const found: RunSummary[] = [];
    for (const wait of waits) {
      const run = runs.get(wait.runId);
      const now = run && summaryState(run);
      if (run && now && run.dataset === dataset && now.stage === state.stage && now.status === state.status) found.push(toRunSummary(run));
      // Moved on since the item was put (or never got there): the item is stale. An item newer than
      // the run's state belongs to a transition still being written, and stays.
      else if (now === undefined || now.version > wait.version) await this.deleteIfVersion(dataset, wait.runId, { ...state, version: wait.version });
    }
    return found.sort((a, b) => a.runId.localeCompare(b.runId));
  }

  private async put(dataset: string, runId: string, state: SummaryState): Promise<void> {
    await this.table.doc.send(new PutCommand({ TableName: this.table.name, Item: { ...RunKeys.waiting(dataset, state.stage, state.status, runId), runId, version: state.version } })).catch((e: unknown) => {
      throw translateDynamoDbError(e, `index run ${runId} as ${state.stage}/${state.status}`);
    });
  }

  private async deleteIfVersion(dataset: string, runId: string, state: SummaryState): Promise<void> {
    try {
      await this.table.doc.send(
        new DeleteCommand({
          TableName: this.table.name,
          Key: RunKeys.waiting(dataset, state.stage, state.status, runId),
          ConditionExpression: '#version = :version',
          ExpressionAttributeNames: expressionNames('#version'),
          ExpressionAttributeValues: { ':version': state.version },
        }),
      );
    } catch (e) {
      if (!isConditionalCheckFailed(e)) throw translateDynamoDbError(e, `unindex run ${runId} from ${state.stage}/${state.status}`);
    }
  }

  /** Indexes a run table written before the index existed, once: every run already in an indexed state. */
  private async ensureBuilt(): Promise<void> {
    if (this.built) return;
    const marker = await this.table.doc.send(new GetCommand({ TableName: this.table.name, Key: RunKeys.waitIndexMarker, ConsistentRead: true })).catch((e: unknown) => {
      throw translateDynamoDbError(e, 'read the run-state index marker');
    });
    if (marker.Item === undefined) {
      const puts = (await this.scanRuns()).flatMap((run) => {
        const state = summaryState(run);
        return isIndexed(state) ? [{ PutRequest: { Item: { ...RunKeys.waiting(run.dataset, state.stage, state.status, run.runId), runId: run.runId, version: state.version } } }] : [];
      });
      await batchWrite(this.table.doc, this.table.name, puts);
      await this.table.doc.send(new PutCommand({ TableName: this.table.name, Item: { ...RunKeys.waitIndexMarker, at: new Date().toISOString() } })).catch((e: unknown) => {
        throw translateDynamoDbError(e, 'mark the run-state index built');
      });
    }
    this.built = true;
  }
}
