import { PipelineError } from './pipeline-error';

/**
 * A mistake in a dataset's configuration — its manifest, or SQL that cannot bind or compile against
 * its table. Never retryable: the same files fail the same way until a person edits them. The message
 * starts with the file (repository-relative, e.g. `sql/traffic/refine.sql`) and, when known, the line,
 * so the alert says where to look: `sql/traffic/refine.sql line 14: no value for placeholder :windw_start`.
 */
export class ConfigurationError extends PipelineError {
  /** The file to fix, relative to the repository (`sql/<dataset>/…`). */
  readonly file: string;
  /** The 1-based line of the mistake in `file`, when known. */
  readonly line: number | undefined;

  constructor(file: string, line: number | undefined, problem: string, options: { readonly cause?: unknown } = {}) {
    super(`${file}${line === undefined ? '' : ` line ${line}`}: ${problem}`, { retryable: false, cause: options.cause });
    this.file = file;
    this.line = line;
  }
}
