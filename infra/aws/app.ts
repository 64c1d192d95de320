import * as path from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { builtInRoot, folderRoot } from '../datasets/dataset-roots';
import { FolderDatasetStore } from '../datasets/folder-dataset-store';
import { validateDatasets } from '../datasets/validate-dataset';
import { awsDatasetProblems } from './aws-dataset-limits';
import { cdkFeatureFlags } from './cdk-feature-flags';
import { extraDatasetDirs } from './dataset-manifests';
import { readStackConfig } from './stack-config';
import { TributaryStack } from './tributary-stack';

/**
 * The CDK app (`cdk.json` runs it): one environment-agnostic stack, so `npx cdk synth` needs no AWS
 * credentials; account and region come from the deploy-time environment. Every dataset it deploys
 * (built-in `sql/` and the `datasetDirs` context folders) is validated first, as `tributary dataset
 * validate` does, plus what only the embedded pipeline reads (`awsDatasetProblems`: JSON-array raw
 * files): a broken one fails the synth with one line per problem. cdk-nag's AWS Solutions
 * checks run on every synth: an unacknowledged finding fails it.
 */
async function main(): Promise<void> {
  const app = new App({ context: { ...cdkFeatureFlags } });
  const config = readStackConfig((key) => app.node.tryGetContext(key));
  const repositoryRoot = path.resolve(__dirname, '..', '..');
  const roots = [builtInRoot(path.join(repositoryRoot, 'sql')), ...extraDatasetDirs(config.datasetDirs).map(folderRoot)];
  const store = new FolderDatasetStore(roots);
  const problems = [...(await validateDatasets(store)), ...(await awsDatasetProblems(store))];
  if (problems.length > 0) {
    for (const problem of problems) process.stderr.write(`${problem.message}\n`);
    throw new Error(`refusing to synthesize: ${problems.length} dataset problem(s) above`);
  }
  new TributaryStack(app, 'Tributary', {
    config,
    repositoryRoot,
    description: 'Tributary: event-driven data-lake pipeline (EventBridge, Lambda, Glue, Athena, SageMaker)',
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  app.synth();
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
