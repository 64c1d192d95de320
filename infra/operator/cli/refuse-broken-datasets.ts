import { PipelineError } from '../../../contracts/pipeline-error';
import { datasetRoots } from '../../datasets/dataset-roots';
import { FolderDatasetStore } from '../../datasets/folder-dataset-store';
import { validateDatasets } from '../../datasets/validate-dataset';
import type { CliContext } from './cli-context';

/**
 * Validates every dataset the home sees (built-in, `<home>/datasets/`, `$TRIBUTARY_DATASETS`) before
 * the pipeline starts: each problem is printed as `tributary dataset validate` prints it (one line,
 * file and line), then a non-retryable error refuses the start, so a broken dataset is found before
 * any file lands instead of when its first file does.
 */
export async function refuseBrokenDatasets(ctx: CliContext, home: string): Promise<void> {
  const problems = await validateDatasets(new FolderDatasetStore(datasetRoots(home)));
  if (problems.length === 0) return;
  for (const problem of problems) ctx.err(problem.message);
  throw new PipelineError(`refusing to start: ${problems.length} dataset problem(s) above (fix them, then check with \`tributary dataset validate\`)`, { retryable: false });
}
