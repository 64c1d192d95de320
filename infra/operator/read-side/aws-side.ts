import type { RunStore } from '../../../handlers/ports/run-store';
import { awsOperations, type AwsOperations } from '../../aws/aws-operations';
import { extraDatasetDirs, readDatasetManifests } from '../../aws/dataset-manifests';
import { DEFAULT_SQL_DIR } from '../../datasets/dataset-roots';
import { openReadSide } from './read-side';

/**
 * The deployed stack's operations for `--aws` (region and credentials from the usual AWS
 * environment; `TRIBUTARY_PREFIX` if the stack was deployed with another prefix than `tributary`;
 * the datasets are the built-in ones and the folders of `TRIBUTARY_DATASETS`, as the stack's
 * `datasetDirs` context key named them, so each batch trigger's DLQ is known).
 */
export function awsSide(): AwsOperations {
  return awsOperations(process.env.TRIBUTARY_PREFIX ?? 'tributary', {}, readDatasetManifests(DEFAULT_SQL_DIR, extraDatasetDirs(process.env.TRIBUTARY_DATASETS)));
}

/** The run store of the home, or of the deployed stack with `--aws`; `close` releases it. */
export async function runStoreFor(home: string, aws: boolean | undefined): Promise<{ runs: RunStore; close(): Promise<void> }> {
  if (aws) return { runs: awsSide().runs, close: async () => undefined };
  return openReadSide(home);
}
