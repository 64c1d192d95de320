import type { UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { StageStatus, type RunError } from '../../handlers/ports/run-store';
import { RunKeys } from './run-store-keys';

/** A transition already checked and normalised: `at` is a `toISOString()` instant, `version` its order. */
export interface CheckedTransition {
  readonly runId: string;
  readonly stage: string;
  readonly status: StageStatus;
  readonly at: string;
  readonly version: string;
  readonly error?: RunError;
}

/** The writes of one transition, in the order they must be made (the stage update commits). */
export interface TransitionPlan {
  readonly timelineItem: Record<string, unknown>;
  readonly summaryUpdate: Omit<UpdateCommandInput, 'TableName'>;
  readonly quarantineUpdate?: Omit<UpdateCommandInput, 'TableName'>;
  readonly stageUpdate: Omit<UpdateCommandInput, 'TableName'>;
}

/**
 * Plans the writes of a stage transition. Each write is idempotent: the timeline item's key holds the
 * version, the summary only moves forward (`lastVersion <= :version`, so the latest transition of any
 * stage wins), and the stage item only accepts a strictly greater version. Expressions name every
 * attribute `#attr` (see expressionNames).
 */
export function planTransition(t: CheckedTransition): TransitionPlan {
  const failure = t.error !== undefined;
  const values = { ':runId': t.runId, ':stage': t.stage, ':status': t.status, ':at': t.at, ':version': t.version, ...(failure ? { ':error': t.error } : {}) };

  const summarySet = ['#lastStage = :stage', '#lastStatus = :status', '#lastVersion = :version', '#updatedAt = :at', ...(failure ? ['#error = :error'] : [])];
  const summaryUpdate = {
    Key: RunKeys.run(t.runId),
    UpdateExpression: `SET ${summarySet.join(', ')}${failure ? '' : ' REMOVE #error'}`,
    ConditionExpression: 'attribute_exists(#pk) AND (attribute_not_exists(#lastVersion) OR #lastVersion <= :version)',
    ExpressionAttributeValues: { ':stage': t.stage, ':status': t.status, ':version': t.version, ':at': t.at, ...(failure ? { ':error': t.error } : {}) },
  };

  const stageSet = ['#runId = :runId', '#stage = :stage', '#status = :status', '#version = :version', '#updatedAt = :at'];
  const stageRemove: string[] = [];
  let stageAdd = '';
  if (t.status === StageStatus.Pending) stageSet.push('#pendingAt = :at');
  else if (t.status === StageStatus.Running) {
    stageSet.push('#startedAt = :at');
    stageRemove.push('#endedAt');
    stageAdd = ' ADD #attempts :one';
  } else stageSet.push('#endedAt = :at');
  if (failure) stageSet.push('#error = :error');
  else stageRemove.push('#error');

  return {
    timelineItem: { ...RunKeys.event(t.runId, t.version, t.stage), at: t.at, stage: t.stage, status: t.status, ...(failure ? { error: t.error } : {}) },
    summaryUpdate,
    ...(t.status === StageStatus.Quarantined
      ? { quarantineUpdate: { Key: RunKeys.run(t.runId), UpdateExpression: 'SET #quarantined = :true', ExpressionAttributeValues: { ':true': true } } }
      : {}),
    stageUpdate: {
      Key: RunKeys.stage(t.runId, t.stage),
      UpdateExpression: `SET ${stageSet.join(', ')}${stageAdd}${stageRemove.length > 0 ? ` REMOVE ${stageRemove.join(', ')}` : ''}`,
      ConditionExpression: 'attribute_not_exists(#version) OR #version < :version',
      ExpressionAttributeValues: { ...values, ...(stageAdd ? { ':one': 1 } : {}) },
    },
  };
}
