import type { LakeTopology } from '../../../handlers/stage-deps';
import { RuntimeEnvName, type RuntimeEnv } from './runtime-env';

/** The lake as the stages see it on AWS, from the function's environment (the stack sets the same names). */
export function awsTopology(env: RuntimeEnv): LakeTopology {
  return {
    names: { busName: env[RuntimeEnvName.Bus], rawBucket: env[RuntimeEnvName.RawBucket], resourcePrefix: env[RuntimeEnvName.Prefix], athenaWorkgroup: env[RuntimeEnvName.RefineWorkgroup] },
    buckets: { raw: env[RuntimeEnvName.RawBucket], refined: env[RuntimeEnvName.RefinedBucket], forecast: env[RuntimeEnvName.ForecastBucket], quarantine: env[RuntimeEnvName.QuarantineBucket] },
    readWorkgroup: env[RuntimeEnvName.ReadWorkgroup],
  };
}
