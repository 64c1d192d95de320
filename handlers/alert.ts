import { parseContract } from '../contracts/contract-violation-error';
import { StageFailedEventSchema, type StageFailedDetail } from '../contracts/domain-events';
import type { Alert } from './ports/alert-sink';
import { declareNeeds, type DepsOf } from './stage-needs';

/** The ports and access this stage needs: all it is handed, and what its role is granted on AWS. */
export const needs = declareNeeds({ alerts: true });
type Deps = DepsOf<typeof needs>;

/** Renders a failure as a page: a one-line title and a body naming everything an operator needs. */
export function renderAlert(detail: StageFailedDetail): Alert {
  const where = [detail.dataset && `dataset ${detail.dataset}`, detail.zone && `zone ${detail.zone}`].filter(Boolean).join(', ');
  const title = `[tributary] ${detail.stage} failed${where ? ` (${where})` : ''}: ${detail.errorClass} ${detail.errorName}`;
  const lines = [
    `stage:     ${detail.stage}`,
    detail.dataset && `dataset:   ${detail.dataset}`,
    detail.runId && `run:       ${detail.runId}`,
    detail.runIds && `runs:      ${detail.runIds.length} (${detail.runIds.slice(0, 5).join(', ')}${detail.runIds.length > 5 ? ', …' : ''})`,
    detail.object && `object:    s3://${detail.object.bucket}/${detail.object.key}`,
    `error:     ${detail.errorClass} / ${detail.errorName}${detail.retryable ? ' (retryable)' : ''}`,
    `message:   ${detail.message}`,
    `at:        ${detail.occurredAt}`,
    `next:      ${detail.inspect}`,
  ];
  return { title, body: lines.filter((l): l is string => typeof l === 'string').join('\n'), detail };
}

/**
 * Pages the people on call for every `StageFailed`. Failures of the alert sinks are thrown, so the
 * bus retries them (and dead-letters the event if paging keeps failing, which raises the DLQ alarm).
 */
export async function handler(event: unknown, deps: Deps): Promise<void> {
  const detail = parseContract(StageFailedEventSchema, event, 'StageFailed event').detail;
  await deps.alerts.send(renderAlert(detail));
}

