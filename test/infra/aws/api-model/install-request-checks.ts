import { checkCommand, type OnViolation } from './check-requests';

type SendFn = (this: unknown, command: unknown, ...rest: unknown[]) => unknown;
const checked = Symbol('api-model-checked');
type AnySend = (...args: unknown[]) => unknown;
const isSend = (value: unknown): value is AnySend => typeof value === 'function';

const serviceIdOf = (client: unknown): string | undefined => {
  const config: unknown = typeof client === 'object' && client !== null && 'config' in client ? client.config : undefined;
  const id: unknown = typeof config === 'object' && config !== null && 'serviceId' in config ? config.serviceId : undefined;
  return typeof id === 'string' ? id : undefined;
};

function wrap(send: AnySend, onViolation: OnViolation): SendFn {
  const wrapped: SendFn = function (this: unknown, command: unknown, ...rest: unknown[]) {
    const serviceId = serviceIdOf(this);
    try {
      if (serviceId !== undefined) checkCommand(serviceId, command, onViolation);
    } catch (error) {
      return Promise.reject(error);
    }
    return send.call(this, command, ...rest);
  };
  return Object.assign(wrapped, { [checked]: true });
}

/**
 * Checks every request a real SDK client sends (moto, dynalite, the Athena endpoint) against the
 * service's published model, by wrapping the `send` all SDK v3 clients inherit (smithy's `Client`). A violation is
 * recorded, not thrown: the server still gets the request (see {@link OnViolation}).
 */
export function checkRealClients(client: { prototype: object }): void {
  const send: unknown = Reflect.get(client.prototype, 'send');
  if (!isSend(send) || checked in send) return;
  Reflect.set(client.prototype, 'send', wrap(send, 'record'));
}

/**
 * Puts the check in front of the `aws-sdk-client-mock` stub installed as `target.send`, which
 * replaces the client's `send` and so skips the check above: the wrapper validates (recording, as
 * above: an emulator answers a bad request with AWS's own message), then hands the call to the stub,
 * whose call history and `restore` keep working. It passes for a sinon stub, so
 * mocking the same client again restores and replaces it as before.
 */
export function checkMockedClient(target: object): void {
  const send: unknown = Reflect.get(target, 'send');
  if (!isSend(send) || checked in send) return;
  const restore: unknown = 'restore' in send ? send.restore : undefined;
  if (typeof restore !== 'function') return;
  Reflect.set(target, 'send', Object.assign(wrap(send, 'record'), { isSinonProxy: true, restore: () => restore.call(send) }));
}
