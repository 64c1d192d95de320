import { PipelineError } from '../../contracts/pipeline-error';
import { ContractViolationError } from '../../contracts/contract-violation-error';

/**
 * Errors raised while publishing events. Every error says whether retrying can help: `retryable`
 * errors are transient (throttling, a service hiccup, a network blip); the others are poison.
 */
export class PublisherError extends PipelineError {}

/**
 * A domain event whose detail does not satisfy its contract, or whose detail-type has no contract.
 * Poison (a ContractViolationError): publishing it again cannot succeed. Thrown before anything is sent.
 */
export class InvalidDomainEventError extends ContractViolationError {
  /** Position of the event in the `publish` input. */
  readonly index: number;
  readonly detailType: string;

  constructor(what: string, problems: readonly string[], details: { index: number; detailType: string; cause?: unknown }) {
    super(what, problems, { cause: details.cause });
    this.index = details.index;
    this.detailType = details.detailType;
  }
}

/**
 * A whole PutEvents request failed (rejected by the transport, not per entry), translated from the
 * transport's own error. `code` is the service error name (`ValidationException`, `ThrottlingException` …).
 */
export class PutEventsRequestError extends PublisherError {
  readonly code: string;

  constructor(message: string, details: { code: string; retryable: boolean; cause?: unknown }) {
    super(message, { retryable: details.retryable, cause: details.cause });
    this.code = details.code;
  }
}
