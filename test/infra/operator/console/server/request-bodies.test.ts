import { ConsoleApiError, badRequestOn } from '../../../../../infra/operator/console/server/api-route';
import { redriveTargetOf } from '../../../../../infra/operator/console/server/dead-letters-api';
import { replayRequestOf } from '../../../../../infra/operator/console/server/events-api';

describe('the console\'s action bodies (the same checks for a local home and --aws)', () => {
  it('reads a redrive of one message or of all, and answers 400 to anything else', () => {
    expect(redriveTargetOf({ queue: 'q', id: 'm' })).toEqual({ queue: 'q', id: 'm' });
    expect(redriveTargetOf({ all: true })).toBeUndefined();
    for (const body of [{}, { queue: 'q' }, { all: false }, null]) {
      expect(() => redriveTargetOf(body)).toThrow(new ConsoleApiError(400, 'redrive: send {"queue": Q, "id": M} for one message or {"all": true} for every one'));
    }
  });

  it('reads a replay form, and answers 400 naming the field that is wrong', () => {
    expect(replayRequestOf({ from: 'a', to: 'b', rule: 'r' })).toEqual({ from: 'a', to: 'b', rule: 'r' });
    expect(() => replayRequestOf({ from: 'a', to: 'b', rule: '' })).toThrow('replay: rule: choose the rule the replay goes to');
    const error = (() => {
      try {
        replayRequestOf({ to: 'b', rule: 'r' });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConsoleApiError);
    expect((error as ConsoleApiError).status).toBe(400);
    expect(() => badRequestOn(() => { throw new Error('bad time'); })).toThrow(new ConsoleApiError(400, 'bad time'));
  });
});
