import type { StageId } from '../../../../events/stage-ids';
import { RuntimeEnvName, type RuntimeEnv } from '../../../../infra/aws/lambda/runtime-env';
import { MOTO_ACCOUNT, MOTO_REGION } from './moto-server';

/** The stack's resource prefix in the moto suites. */
export const MOTO_PREFIX = 'tributary';

/** A zone's bucket name as the stack makes it, in moto's account and region. */
export const motoBucket = (zone: string): string => `${MOTO_PREFIX}-${zone}-${MOTO_ACCOUNT}-${MOTO_REGION}`;

/** The environment the stack gives `stage`'s function, with moto's account and region. */
export function motoStageEnv(stage: StageId): RuntimeEnv {
  return {
    [RuntimeEnvName.Stage]: stage,
    [RuntimeEnvName.Prefix]: MOTO_PREFIX,
    [RuntimeEnvName.ModelNames]: {},
    [RuntimeEnvName.Bus]: MOTO_PREFIX,
    [RuntimeEnvName.RawBucket]: motoBucket('raw'),
    [RuntimeEnvName.RefinedBucket]: motoBucket('refined'),
    [RuntimeEnvName.ForecastBucket]: motoBucket('forecast'),
    [RuntimeEnvName.QuarantineBucket]: motoBucket('quarantine'),
    [RuntimeEnvName.RefineWorkgroup]: MOTO_PREFIX,
    [RuntimeEnvName.ReadWorkgroup]: `${MOTO_PREFIX}-read`,
    [RuntimeEnvName.RunTable]: `${MOTO_PREFIX}-runs`,
    [RuntimeEnvName.IdempotencyTable]: `${MOTO_PREFIX}-idempotency`,
    [RuntimeEnvName.AlertTopicArn]: `arn:aws:sns:${MOTO_REGION}:${MOTO_ACCOUNT}:${MOTO_PREFIX}-alerts`,
  };
}
