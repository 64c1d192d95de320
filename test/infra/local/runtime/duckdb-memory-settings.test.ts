import { duckDbMemorySettings } from '../../../../infra/local/runtime/duckdb-memory-settings';

describe('duckDbMemorySettings', () => {
  it('gives each engine its share of the 1.5GB bound when nothing is set', () => {
    expect(duckDbMemorySettings({})).toEqual({ bound: '1.5GB', pipeline: '600MB', userQueries: '225MB', crawler: '150MB', inspector: '75MB' });
  });

  it('scales the shares with TRIBUTARY_MEMORY, and an engine\'s own variable wins over its share', () => {
    expect(duckDbMemorySettings({ TRIBUTARY_MEMORY: '4GB' })).toEqual({ bound: '4GB', pipeline: '1600MB', userQueries: '600MB', crawler: '400MB', inspector: '200MB' });
    expect(duckDbMemorySettings({ TRIBUTARY_MEMORY: '1GiB', TRIBUTARY_QUERY_MEMORY: '2GB', TRIBUTARY_USER_QUERY_MEMORY: '1GB', TRIBUTARY_CRAWLER_MEMORY: '64MB', TRIBUTARY_INSPECT_MEMORY: '96MB' })).toEqual({ bound: '1GiB', pipeline: '2GB', userQueries: '1GB', crawler: '64MB', inspector: '96MB' });
  });

  it('keeps each engine at its minimum however small the bound, and refuses an engine\'s own value below it', () => {
    expect(duckDbMemorySettings({ TRIBUTARY_MEMORY: '256MB' })).toEqual({ bound: '256MB', pipeline: '256MB', userQueries: '64MB', crawler: '64MB', inspector: '64MB' });
    // DuckDB's JSON reader takes a 32 MiB buffer: an inspector of 16MB fails every landing.
    expect(() => duckDbMemorySettings({ TRIBUTARY_INSPECT_MEMORY: '16MB' })).toThrow('TRIBUTARY_INSPECT_MEMORY must be at least 64MB, got "16MB"');
    expect(() => duckDbMemorySettings({ TRIBUTARY_QUERY_MEMORY: '200MB' })).toThrow('TRIBUTARY_QUERY_MEMORY must be at least 256MB, got "200MB"');
  });

  it('refuses a malformed size naming the variable', () => {
    expect(() => duckDbMemorySettings({ TRIBUTARY_INSPECT_MEMORY: 'small' })).toThrow('TRIBUTARY_INSPECT_MEMORY must be a size such as 512MB or 2GB, got "small"');
    expect(() => duckDbMemorySettings({ TRIBUTARY_MEMORY: '1.5 gigs' })).toThrow('TRIBUTARY_MEMORY must be a size such as 512MB or 2GB, got "1.5 gigs"');
  });
});
