import { AwsDetailType, AwsSource, type AthenaQueryStateChangeDetail } from '../../../contracts/aws-events';
import type { PutEventsEntry } from '../../../events/put-events';
import type { AthenaError, QueryState, StatementType } from '../../../handlers/ports/query-engine';

/** The transition an `Athena Query State Change` event reports. */
export interface QueryStateTransition {
  readonly queryExecutionId: string;
  readonly currentState: QueryState;
  readonly previousState?: QueryState;
  readonly statementType: StatementType;
  readonly workgroupName: string;
  readonly sequenceNumber: number;
  readonly athenaError?: AthenaError;
}

/**
 * The PutEvents entry of an `Athena Query State Change` event on the `default` bus, detail shaped as
 * Athena sends it (research §8.4): `sequenceNumber` a string increasing per query, `athenaError`
 * (lower-camel keys, numeric category/type) only when FAILED, `resources` empty. The bus adds id,
 * account and region to make the envelope.
 */
export function queryStateEntry(transition: QueryStateTransition, time: Date = new Date()): PutEventsEntry {
  const error = transition.athenaError;
  const detail: AthenaQueryStateChangeDetail = {
    versionId: '0',
    currentState: transition.currentState,
    ...(transition.previousState === undefined ? {} : { previousState: transition.previousState }),
    statementType: transition.statementType,
    queryExecutionId: transition.queryExecutionId,
    workgroupName: transition.workgroupName,
    sequenceNumber: String(transition.sequenceNumber),
    ...(error === undefined ? {} : {
      athenaError: { errorCategory: error.ErrorCategory, errorType: error.ErrorType, errorMessage: error.ErrorMessage, retryable: error.Retryable },
    }),
  };
  return { Source: AwsSource.Athena, DetailType: AwsDetailType.AthenaQueryStateChange, Detail: JSON.stringify(detail), Resources: [], Time: time, EventBusName: 'default' };
}
