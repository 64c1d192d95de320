import { CodedError } from './coded-error';

/**
 * Errors of the batch-transform port, each with SageMaker's error code and whether retrying can help.
 * Adapters translate the service's exceptions into these, so stages never see an SDK class.
 */
export class BatchTransformError extends CodedError {}

/**
 * A job with this name exists already (SageMaker `ResourceInUse`). Not retryable as such; a stage
 * that names jobs after its business key treats it as "already started" and waits for the job's event.
 */
export class TransformJobExistsError extends BatchTransformError {
  /** The name that was taken. */
  readonly jobName: string;

  constructor(name: string, arn: string) {
    super(`Job name must be unique within an AWS account and region, and a job with this name already exists (${arn})`, {
      code: 'ResourceInUse',
      retryable: false,
    });
    this.jobName = name;
  }
}

/** No job has this name (SageMaker answers `ValidationException: Could not find requested job`). Poison. */
export class TransformJobNotFoundError extends BatchTransformError {
  constructor(name: string) {
    super(`Could not find requested job with name ${name}`, { code: 'ValidationException', retryable: false });
  }
}

/** A request SageMaker would reject (bad name, unknown model, out-of-range option, unsupported input). Poison. */
export class InvalidTransformJobError extends BatchTransformError {
  constructor(message: string) {
    super(message, { code: 'ValidationException', retryable: false });
  }
}

/** The service throttled or failed the call. Retryable. */
export class BatchTransformUnavailableError extends BatchTransformError {
  constructor(message: string, code: string, cause?: unknown) {
    super(message, { code, retryable: true, cause });
  }
}
