import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { StageDeps } from '../../../../handlers/stage-deps';
import { SageMakerBatchTransform } from '../../adapters/sagemaker-batch-transform';
import { RuntimeEnvName, type RuntimeEnv } from '../runtime-env';

/** A new SageMaker client (region and credentials from the Lambda environment). */
export const client = (): SageMakerClient => new SageMakerClient({});

/** SageMaker batch transform on the models the stack deployed. */
export function ports(sagemaker: SageMakerClient, env: RuntimeEnv): Pick<StageDeps, 'transform'> {
  return { transform: new SageMakerBatchTransform(sagemaker, env[RuntimeEnvName.ModelNames]) };
}
