import { PipelineError } from '../../../contracts/pipeline-error';

/**
 * A local endpoint's port is taken (another `tributary up`, or another emulator). Not retryable:
 * waiting does not free it; the message says how to choose another port.
 */
export class PortInUseError extends PipelineError {
  constructor(
    readonly port: number,
    cause?: unknown,
  ) {
    super(`port ${port} on 127.0.0.1 is already in use (another \`tributary up\` or emulator?); choose another with --port N or TRIBUTARY_PORT=N (0 picks a free one)`, { retryable: false, cause });
  }
}
