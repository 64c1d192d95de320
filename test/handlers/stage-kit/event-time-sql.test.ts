import { QueryState, runQuery } from '../../../handlers/ports/query-engine';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { columnSql, eventTimeDuckDbSql, eventTimeSql } from '../../../handlers/stage-kit/event-time-sql';
import { makeLake, type Lake } from '../../infra/emulators/query/query-fixtures';

/**
 * Each event-time format's Athena expression, run on the local engine (real DuckDB through the Trino
 * translator) against the UTC timestamp Athena gives, rendered as GetQueryResults renders it.
 */
describe('eventTimeSql on the local Athena engine, and its DuckDB twin (register-landing)', () => {
  let lake: Lake;
  let duck: DuckDBConnection;
  beforeAll(async () => {
    lake = await makeLake();
    duck = await (await DuckDBInstance.create(':memory:')).connect();
    await duck.run(`SET TimeZone = 'UTC'`);
  });
  afterAll(async () => {
    duck.closeSync();
    await lake.cleanup();
  });
  const duckEventTime = async (value: string, format: string): Promise<string | undefined> => {
    const sql = `SELECT strftime(${eventTimeDuckDbSql('v', format)}, '%Y-%m-%d %H:%M:%S.%g') FROM (SELECT ${value} AS v) t`;
    const cell = (await duck.runAndReadAll(sql)).getRowsJson()[0]?.[0];
    return typeof cell === 'string' ? cell : undefined;
  };
  const eventTime = async (value: string, format: string, column = 'v'): Promise<string | undefined> => {
    const sql = `SELECT ${eventTimeSql(columnSql(column), format)} FROM (SELECT ${value} AS ${columnSql(column)}) t`;
    const execution = await runQuery(lake.engine, { QueryString: sql, QueryExecutionContext: { Database: 'contract_db' } });
    if (execution.Status.State !== QueryState.Succeeded) throw new Error(`${sql}: ${execution.Status.StateChangeReason}`);
    const results = await lake.engine.getQueryResults(execution.QueryExecutionId);
    return results.ResultSet.Rows[1]?.Data[0]?.VarCharValue;
  };

  it.each([
    ['a date alone is midnight UTC', "'2012-01-31'", 'iso8601', '2012-01-31 00:00:00.000'],
    ['date and time with Z', "'2026-01-05T07:00:00Z'", 'iso8601', '2026-01-05 07:00:00.000'],
    ['an offset gives the UTC instant', "'2026-01-05T07:00:00+01:00'", 'iso8601', '2026-01-05 06:00:00.000'],
    ['no offset is UTC', "'2026-01-05T07:30:15.250'", 'iso8601', '2026-01-05 07:30:15.250'],
    ['a space instead of T', "'2026-01-05 07:30:00'", 'iso8601', '2026-01-05 07:30:00.000'],
    ['a DATE column (Parquet)', "DATE '2012-01-31'", 'iso8601', '2012-01-31 00:00:00.000'],
    ['a TIMESTAMP column (Parquet)', "TIMESTAMP '2001-01-13 14:56:00'", 'iso8601', '2001-01-13 14:56:00.000'],
    ['iso8601 garbage is NULL', "'31/01/2012'", 'iso8601', undefined],
    ['iso8601 empty text is NULL', "''", 'iso8601', undefined],
    ['iso8601 NULL is NULL', 'CAST(NULL AS varchar)', 'iso8601', undefined],
    ['epoch seconds (integer)', '1325376000', 'epoch_seconds', '2012-01-01 00:00:00.000'],
    ['epoch seconds as text, with a fraction', "'1325376000.5'", 'epoch_seconds', '2012-01-01 00:00:00.500'],
    ['epoch seconds out of range is NULL', '1e20', 'epoch_seconds', undefined],
    ['epoch seconds garbage is NULL', "'soon'", 'epoch_seconds', undefined],
    ['epoch millis', 'CAST(1325376000123 AS bigint)', 'epoch_millis', '2012-01-01 00:00:00.123'],
    ['epoch millis as text', "'1700000000000'", 'epoch_millis', '2023-11-14 22:13:20.000'],
    ['strptime day/month/year with %M minutes', "'31/01/2012 13:45'", '%d/%m/%Y %H:%M', '2012-01-31 13:45:00.000'],
    ['strptime date only', "'2012-01-31'", '%Y-%m-%d', '2012-01-31 00:00:00.000'],
    ['strptime month names and 12-hour clock', "'Jan 05 2026 01:30:09 PM'", '%b %d %Y %I:%M:%S %p', '2026-01-05 13:30:09.000'],
    ['strptime full month name', "'January 5, 2026'", '%B %d, %Y', '2026-01-05 00:00:00.000'],
    ['strptime compact digits', "'20120131134500'", '%Y%m%d%H%M%S', '2012-01-31 13:45:00.000'],
    ['strptime with a literal %', "'2012-01-31%'", '%Y-%m-%d%%', '2012-01-31 00:00:00.000'],
    ['strptime mismatch is NULL', "'2012-01-31'", '%d/%m/%Y', undefined],
    ['strptime on an integer column', '20120131', '%Y%m%d', '2012-01-31 00:00:00.000'],
  ])('%s', async (_, value, format, expected) => {
    expect(await eventTime(value, format)).toBe(expected);
    expect(await duckEventTime(value, format)).toBe(expected);
  });

  it('quotes a column name that is not a plain identifier or is a reserved word', async () => {
    expect(columnSql('recordtimestamp')).toBe('recordtimestamp');
    expect(columnSql('date')).toBe('"date"');
    expect(columnSql('wind speed')).toBe('"wind speed"');
    expect(columnSql('a"b')).toBe('"a""b"');
    expect(await eventTime("'2012-01-31'", 'iso8601', 'date')).toBe('2012-01-31 00:00:00.000');
    expect(await eventTime("'2012-01-31 10:00'", '%Y-%m-%d %H:%M', 'event time')).toBe('2012-01-31 10:00:00.000');
  });
});
