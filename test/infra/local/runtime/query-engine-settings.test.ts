import { queryEngineSettings } from '../../../../infra/local/runtime/query-engine-settings';

describe('queryEngineSettings', () => {
  it('reads the connection count', () => {
    expect(queryEngineSettings({ TRIBUTARY_QUERY_CONNECTIONS: '3' })).toEqual({ connections: 3 });
  });

  it('leaves the default when unset', () => {
    expect(queryEngineSettings({})).toEqual({});
  });

  it.each(['0', '-1', 'two', '1.5'])('refuses TRIBUTARY_QUERY_CONNECTIONS=%s naming the variable', (value) => {
    expect(() => queryEngineSettings({ TRIBUTARY_QUERY_CONNECTIONS: value })).toThrow(/TRIBUTARY_QUERY_CONNECTIONS must be a whole number/);
  });
});
