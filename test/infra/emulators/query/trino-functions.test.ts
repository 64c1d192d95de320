import { QueryState, runQuery } from '../../../../handlers/ports/query-engine';
import { makeLake, type Lake } from './query-fixtures';

/**
 * Each Trino function the research note's §3.4 lists, run through the engine, against the result
 * Athena (Trino) documents. Results are compared as Athena renders them in GetQueryResults.
 */
describe('Trino function shims', () => {
  let lake: Lake;
  beforeAll(async () => {
    lake = await makeLake();
  });
  afterAll(async () => {
    await lake.cleanup();
  });
  const value = async (expression: string): Promise<string | undefined> => {
    const execution = await runQuery(lake.engine, { QueryString: `SELECT ${expression}`, QueryExecutionContext: { Database: 'contract_db' } });
    if (execution.Status.State !== QueryState.Succeeded) throw new Error(`${expression}: ${execution.Status.StateChangeReason}`);
    const results = await lake.engine.getQueryResults(execution.QueryExecutionId);
    return results.ResultSet.Rows[1]?.Data[0]?.VarCharValue;
  };

  it.each([
    ['integer division truncates: 7 / 2', '7 / 2', '3'],
    ['integer division truncates toward zero: -7 / 2', '-7 / 2', '-3'],
    ['bigint division', 'CAST(9 AS bigint) / 4', '2'],
    ['decimal division stays exact', '7.0 / 2', '3.5'],
    ['double division', '7e0 / 2', '3.5'],
    ['regexp_replace replaces every match (2 args removes)', "regexp_replace('1a 2b 14m', '\\d+[ab] ')", '14m'],
    ['regexp_replace with $n back-references', "regexp_replace('1a 2b 14m', '(\\d+)([ab]) ', '3c$2 ')", '3ca 3cb 14m'],
    ['regexp_extract whole match', "regexp_extract('1a 2b 14m', '\\d+')", '1'],
    ['regexp_extract group', "regexp_extract('1a 2b 14m', '(\\d+)([a-z]+)', 2)", 'a'],
    ['regexp_extract no match is NULL', "regexp_extract('abc', '\\d+')", undefined],
    ['regexp_like is a partial match', "regexp_like('1a 2b 14m', '\\d+b')", 'true'],
    ['date_parse with MySQL specifiers (%i minutes, %s seconds)', "date_parse('2024-01-05 10:07:09', '%Y-%m-%d %H:%i:%s')", '2024-01-05 10:07:09.000'],
    ['date_parse with %e day and %c month', "date_parse('5/3/2024', '%e/%c/%Y')", '2024-03-05 00:00:00.000'],
    ['date_format with %i minutes', "date_format(TIMESTAMP '2024-01-05 10:07:09', '%Y-%m-%d %H:%i')", '2024-01-05 10:07'],
    ['date_format with %M month name and %e day', "date_format(TIMESTAMP '2024-01-05 10:07:09', '%M %e, %Y')", 'January 5, 2024'],
    ['date_format with %T', "date_format(TIMESTAMP '2024-01-05 10:07:09', '%T')", '10:07:09'],
    ['format_datetime with a Joda pattern and a quoted literal', "format_datetime(TIMESTAMP '2024-01-05 10:07:09', 'yyyy-MM-dd''T''HH:mm:ss')", '2024-01-05T10:07:09'],
    ['from_iso8601_timestamp honours the offset (same instant)', "to_unixtime(from_iso8601_timestamp('2024-01-01T10:00:00+02:00'))", '1.704096E9'],
    ['from_iso8601_timestamp in UTC', "from_iso8601_timestamp('2024-01-01T10:00:00Z')", '2024-01-01 10:00:00.000 UTC'],
    ['from_iso8601_date', "from_iso8601_date('2024-03-05')", '2024-03-05'],
    ['from_unixtime', 'from_unixtime(1700000000)', '2023-11-14 22:13:20.000 UTC'],
    ['to_unixtime returns double seconds', "to_unixtime(TIMESTAMP '2024-01-01 00:00:00')", '1.7040672E9'],
    ['day_of_week is ISO (Sunday = 7)', "day_of_week(DATE '2024-03-17')", '7'],
    ['dow is ISO (Monday = 1)', "dow(DATE '2024-03-18')", '1'],
    ['day_of_year', "day_of_year(DATE '2024-02-01')", '32'],
    ['week (ISO)', "week(DATE '2024-01-01')", '1'],
    ['year_of_week (ISO)', "year_of_week(DATE '2021-01-01')", '2020'],
    ['date_trunc keeps a DATE a DATE', "date_trunc('month', DATE '2024-03-15')", '2024-03-01'],
    ['date_trunc on a timestamp', "date_trunc('hour', TIMESTAMP '2024-03-15 10:27:00')", '2024-03-15 10:00:00.000'],
    ['date_add(unit, n, date) clamps month ends and stays a DATE', "date_add('month', 1, DATE '2024-01-31')", '2024-02-29'],
    ['date_add on a timestamp', "date_add('hour', 2, TIMESTAMP '2024-01-01 23:00:00')", '2024-01-02 01:00:00.000'],
    ['date_add with a negative amount', "date_add('day', -1, DATE '2024-03-01')", '2024-02-29'],
    ['date_diff counts whole units elapsed', "date_diff('day', TIMESTAMP '2024-01-01 23:00:00', TIMESTAMP '2024-01-02 01:00:00')", '0'],
    ['date_diff on dates', "date_diff('day', DATE '2024-01-01', DATE '2024-01-31')", '30'],
    ['approx_distinct', 'approx_distinct(x) FROM (VALUES (1), (1), (2), (3)) AS t(x)', '3'],
    ['approx_percentile', 'approx_percentile(x, 0.5) FROM UNNEST(sequence(1, 9)) AS t(x)', '5'],
    ['cardinality', 'cardinality(ARRAY[1, 2, 3])', '3'],
    ['element_at out of bounds is NULL', 'element_at(ARRAY[1, 2, 3], 5)', undefined],
    ['element_at negative index counts from the end', 'element_at(ARRAY[1, 2, 3], -1)', '3'],
    ['element_at on a map returns the value', "element_at(MAP(ARRAY['a'], ARRAY[1]), 'a')", '1'],
    ['split', "cardinality(split('a,b,c', ','))", '3'],
    ['split then element_at', "element_at(split('a,b,c', ','), 2)", 'b'],
    ['array_join', "array_join(ARRAY['a', 'b'], '-')", 'a-b'],
    ['transform', 'array_join(transform(ARRAY[1, 2], x -> x + 1), \',\')', '2,3'],
    ['filter', 'array_join(filter(ARRAY[1, 2, 3], x -> x > 1), \',\')', '2,3'],
    ['reduce (Trino docs example)', 'reduce(ARRAY[5, 20, 50], 0, (s, x) -> s + x, s -> s)', '75'],
    ['reduce of an empty array is the initial state', 'reduce(CAST(ARRAY[] AS array(integer)), 0, (s, x) -> s + x, s -> s)', '0'],
    ['reduce with an output function', 'reduce(ARRAY[1, 2, 3], 0, (s, x) -> s + x, s -> s * 10)', '60'],
    ['json_extract_scalar', "json_extract_scalar('{\"a\": {\"b\": \"c\"}}', '$.a.b')", 'c'],
    ['arbitrary', 'arbitrary(x) FROM (VALUES (4)) AS t(x)', '4'],
    ['try_cast of a bad value is NULL', "try_cast('x' AS integer)", undefined],
    ['try of a failing cast is NULL', "try(CAST('x' AS integer))", undefined],
    ['nullif', 'nullif(1, 1)', undefined],
    ['count_if', 'count_if(x > 1) FROM (VALUES (1), (2), (3)) AS t(x)', '2'],
    ['if', "if(1 > 0, 'yes', 'no')", 'yes'],
    ['greatest returns NULL when an argument is NULL', 'greatest(1, NULL, 3)', undefined],
    ['greatest', 'greatest(1, 5, 3)', '5'],
    ['least', 'least(4, 2, 3)', '2'],
    ['concat returns NULL when an argument is NULL', "concat('a', NULL)", undefined],
    ['concat of three strings', "concat('a', 'b', 'c')", 'abc'],
    ['CAST of a double to integer rounds half away from zero', 'CAST(2.5e0 AS integer)', '3'],
    ['CAST of a negative double to integer', 'CAST(-2.5e0 AS bigint)', '-3'],
    ['CAST of a double to integer rounds down below .5', 'CAST(2.4e0 AS integer)', '2'],
    ['sequence', 'cardinality(sequence(1, 4))', '4'],
  ])('%s', async (_name, expression, expected) => {
    expect(await value(expression)).toBe(expected);
  });

  it.each([
    ['interval literal times an integer', "CAST('2024-01-01 10:00:00' AS timestamp) - INTERVAL '1' MINUTE * 30", '2024-01-01 09:30:00.000'],
    ['AT TIME ZONE then CAST to timestamp', "CAST(try(from_iso8601_timestamp('2024-01-01T10:00:00+02:00')) AT TIME ZONE 'UTC' AS timestamp)", '2024-01-01 08:00:00.000'],
    ['try of an unparseable ISO time is NULL', "try(from_iso8601_timestamp('garbage'))", undefined],
    ['try of a parseable ISO time is the time', "try(from_iso8601_timestamp('2024-01-01T10:00:00+02:00'))", '2024-01-01 08:00:00.000 UTC'],
    ['try of an unparseable ISO date is NULL', "try(from_iso8601_date('2024-13-01'))", undefined],
    ['try of a cast to integer rounds half away from zero', "try(CAST(2.5 AS integer))", '3'],
    ['CROSS JOIN UNNEST … AS t(x)', 'sum(t.shift) FROM (SELECT 1 AS x) d CROSS JOIN UNNEST(ARRAY[0, 1, 2]) AS t(shift)', '3'],
    ['timestamp with milliseconds', "CAST('2024-01-01 10:00:00.123' AS timestamp)", '2024-01-01 10:00:00.123'],
  ])('Trino syntax: %s', async (_name, expression, expected) => {
    expect(await value(expression)).toBe(expected);
  });

  it('renders arrays as Athena does', async () => {
    expect(await value("split('a,b,c', ',')")).toBe('[a, b, c]');
  });
});

describe('Athena result rendering', () => {
  let lake: Lake;
  beforeAll(async () => {
    lake = await makeLake();
  });
  afterAll(async () => {
    await lake.cleanup();
  });

  it('renders maps and rows as Trino does', async () => {
    const execution = await runQuery(lake.engine, { QueryString: "SELECT MAP(ARRAY['k'], ARRAY[1]) AS m, CAST(1e7 AS double) AS big, 0.5e0 AS half" });
    const results = await lake.engine.getQueryResults(execution.QueryExecutionId);
    expect(results.ResultSet.Rows[1]?.Data.map((d) => d.VarCharValue)).toEqual(['{k=1}', '1.0E7', '0.5']);
  });
});
