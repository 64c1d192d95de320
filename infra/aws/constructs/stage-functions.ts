import * as path from 'node:path';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { StageId } from '../../../events/stage-ids';
import { RuntimeEnvName } from '../lambda/runtime-env';
import { nagArnToken } from '../nag-arn-token';

/** How the stage functions are built: repository root (entry, lockfile, `sql/`), memory and shared settings. Bundled with esbuild locally, once (CDK caches the identical bundle). */
export interface StageFunctionsProps {
  readonly repositoryRoot: string;
  /** Dataset folders outside `sql/` (the `datasetDirs` context), copied into the bundle's `sql/` beside the built-in ones. */
  readonly extraDatasets?: readonly { readonly name: string; readonly folder: string }[];
  readonly memoryMb: number;
  /** Every runtime setting except the stage id, which each function gets on its own. */
  readonly environment: Readonly<Record<string, string>>;
}

/** The single entry file of every stage function; the stage is picked by `TRIBUTARY_STAGE`. */
export const STAGE_ENTRY = path.join('infra', 'aws', 'lambda', 'stage-entry.ts');

/**
 * One Lambda function per stage id (Node.js 22, arm64), all from the same generic entry, so the code
 * a Lambda runs is the code the embedded default runs. Each function has its own role (only log
 * writing here; the stack adds what its stage calls) and its own log group with a retention. The
 * datasets' `sql/` folder is copied into the bundle: the dataset store reads it from there.
 */
export class StageFunctions extends Construct {
  readonly functions: ReadonlyMap<StageId, lambda.Function>;

  constructor(scope: Construct, id: string, props: StageFunctionsProps) {
    super(scope, id);
    const functions = new Map<StageId, lambda.Function>();
    for (const stage of Object.values(StageId)) {
      const logGroup = new logs.LogGroup(this, `Logs-${stage}`, { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
      const role = new iam.Role(this, `Role-${stage}`, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), description: `Tributary stage ${stage}` });
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn, `${logGroup.logGroupArn}:*`] }));
      const common = {
        description: `Tributary stage ${stage}`,
        runtime: lambda.Runtime.NODEJS_22_X,
        architecture: lambda.Architecture.ARM_64,
        memorySize: props.memoryMb,
        timeout: Duration.minutes(5),
        role,
        logGroup,
        environment: { ...props.environment, [RuntimeEnvName.Stage]: stage, NODE_OPTIONS: '--enable-source-maps' },
      };
      const fn = new nodejs.NodejsFunction(this, `Stage-${stage}`, { ...common, ...bundledCode(props.repositoryRoot, props.extraDatasets) });
      functions.set(stage, fn);
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${nagArnToken(logGroup)}:*]`,
        reason: `${role.node.path}: Lambda creates one log stream per container in this function's own log group; streams cannot be named in advance.`,
      });
      Validations.of(fn).acknowledge({
        id: 'AwsSolutions-L1',
        reason: `${fn.node.path}: the stages run on Node.js 22, the runtime the project targets and bundles for (esbuild target node22); moving to a newer runtime is a deliberate upgrade, not a synth-time drift.`,
      });
    }
    this.functions = functions;
  }

  /** The function of a stage (every stage id has one). */
  of(stage: StageId): lambda.Function {
    const fn = this.functions.get(stage);
    if (!fn) throw new Error(`no function for stage ${stage} in ${Stack.of(this).stackName}`);
    return fn;
  }
}

/**
 * NodejsFunction settings: esbuild on this machine, SDK v3 from the runtime, `sql/` beside the bundle
 * (with each extra dataset folder copied into it, so the Lambda dataset store reads one folder).
 * Names are kept through minification: error class names travel in StageFailed events and alerts.
 */
export function bundledCode(repositoryRoot: string, extraDatasets: readonly { readonly name: string; readonly folder: string }[] = []): nodejs.NodejsFunctionProps {
  return {
    entry: path.join(repositoryRoot, STAGE_ENTRY),
    handler: 'handler',
    projectRoot: repositoryRoot,
    depsLockFilePath: path.join(repositoryRoot, 'package-lock.json'),
    bundling: {
      forceDockerBundling: false,
      target: 'node22',
      format: nodejs.OutputFormat.CJS,
      minify: true,
      keepNames: true,
      sourceMap: true,
      externalModules: ['@aws-sdk/*', '@duckdb/*'],
      commandHooks: {
        beforeBundling: () => [],
        beforeInstall: () => [],
        afterBundling: (inputDir: string, outputDir: string) => [
          `cp -R "${path.join(inputDir, 'sql')}" "${path.join(outputDir, 'sql')}"`,
          ...extraDatasets.map((d) => `cp -R "${d.folder}" "${path.join(outputDir, 'sql', d.name)}"`),
        ],
      },
    },
  };
}
