import { takeViolations } from './violation-log';

/**
 * Jest setup: every request any AWS SDK client sends in a test — real (moto, dynalite, the Athena
 * endpoint) or mocked with `aws-sdk-client-mock` — is checked against botocore's published model of
 * its service. A violation fails the test after it, naming each member's path, even when an adapter
 * swallows an error; the request is still sent (an emulator under test must see it to refuse it).
 * The checks load only when a test loads an SDK client, so other tests pay nothing for them.
 */
jest.mock('@smithy/core/client', () => {
  const actual: typeof import('@smithy/core/client') = jest.requireActual('@smithy/core/client');
  const { checkRealClients }: typeof import('./install-request-checks') = jest.requireActual('./install-request-checks');
  checkRealClients(actual.Client);
  return actual;
});

jest.mock('aws-sdk-client-mock', () => {
  const actual: typeof import('aws-sdk-client-mock') = jest.requireActual('aws-sdk-client-mock');
  const { checkMockedClient }: typeof import('./install-request-checks') = jest.requireActual('./install-request-checks');
  const guard = (client: unknown): void => {
    const target: unknown = typeof client === 'function' ? client.prototype : client;
    if (typeof target === 'object' && target !== null) checkMockedClient(target);
  };
  const reset = actual.AwsStub.prototype.reset;
  actual.AwsStub.prototype.reset = function (this: InstanceType<typeof actual.AwsStub>) {
    const result = reset.call(this);
    guard(Reflect.get(this, 'client'));
    return result;
  };
  return {
    ...actual,
    mockClient: (...args: Parameters<typeof actual.mockClient>) => {
      const stub = actual.mockClient(...args);
      guard(args[0]);
      return stub;
    },
  };
});

afterEach(() => {
  const violations = takeViolations();
  if (violations.length > 0) throw new Error(`AWS API model violations:\n${violations.join('\n')}`);
});
