/**
 * Checks AWS SDK requests against the services' published API models (botocore's `service-2.json`,
 * installed with moto). The jest setup (`jest-setup.ts`) already checks every request any SDK client
 * sends in a test, mocked or real (moto, dynalite, the Athena endpoint); import from here to check a
 * request by hand (`assertRequestMatchesModel('Athena', 'StartQueryExecution', input)`), read the
 * violations (`validateRequest`), or forgive a test's deliberate bad request (`allowViolations`).
 */
export { ApiModelViolationError, assertRequestMatchesModel } from './check-requests';
export { allowViolations, takeViolations } from './violation-log';
export { botocoreDataDir, serviceModel, type ServiceModel } from './botocore-models';
export { validateRequest, type ModelViolation } from './validate-request';
