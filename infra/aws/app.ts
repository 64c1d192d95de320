import * as path from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { cdkFeatureFlags } from './cdk-feature-flags';
import { readStackConfig } from './stack-config';
import { TributaryStack } from './tributary-stack';

/**
 * The CDK app (`cdk.json` runs it): one environment-agnostic stack, so `npx cdk synth` needs no AWS
 * credentials; account and region come from the deploy-time environment. cdk-nag's AWS Solutions
 * checks run on every synth: an unacknowledged finding fails it.
 */
const app = new App({ context: { ...cdkFeatureFlags } });
const config = readStackConfig((key) => app.node.tryGetContext(key));
new TributaryStack(app, 'Tributary', {
  config,
  repositoryRoot: path.resolve(__dirname, '..', '..'),
  description: 'Tributary: event-driven data-lake pipeline (EventBridge, Lambda, Glue, Athena, SageMaker)',
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
