import { PipelineError } from '../../contracts/pipeline-error';

/**
 * Base class of forecast-model errors. `retryable` says what happens next: false means poison (the
 * same input will fail again; send it to the DLQ and alert), true means a retry may succeed.
 */
export class ForecastModelError extends PipelineError {
  constructor(message: string, retryable: boolean, options?: { cause?: unknown }) {
    super(message, { retryable, cause: options?.cause });
  }
}

/** An inference record (one JSON line) that does not parse or validate. Poison. */
export class InvalidInferenceInputError extends ForecastModelError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, false, options);
  }
}

/** A model artifact that is not a forecast model of this format, or whose version does not match its content. Poison. */
export class InvalidModelArtifactError extends ForecastModelError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, false, options);
  }
}

/** Training data that cannot produce a model (too little history, nothing left to hold out). Poison. */
export class InsufficientTrainingDataError extends ForecastModelError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, false, options);
  }
}
