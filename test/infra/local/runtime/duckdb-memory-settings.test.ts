import { DEFAULT_DUCKDB_MEMORY, duckDbMemorySettings } from '../../../../infra/local/runtime/duckdb-memory-settings';

describe('duckDbMemorySettings', () => {
  it('reads each engine\'s limit, and keeps the defaults when unset', () => {
    expect(duckDbMemorySettings({})).toEqual(DEFAULT_DUCKDB_MEMORY);
    expect(duckDbMemorySettings({ TRIBUTARY_USER_QUERY_MEMORY: '1GB', TRIBUTARY_CRAWLER_MEMORY: '64MB', TRIBUTARY_INSPECT_MEMORY: '32MB' })).toEqual({ userQueries: '1GB', crawler: '64MB', inspector: '32MB' });
  });

  it('refuses a malformed limit naming the variable', () => {
    expect(() => duckDbMemorySettings({ TRIBUTARY_INSPECT_MEMORY: 'small' })).toThrow('TRIBUTARY_INSPECT_MEMORY must be a size such as 512MB or 2GB, got "small"');
  });
});
