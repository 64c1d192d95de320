import * as fs from 'node:fs';
import * as path from 'node:path';
import { ContractViolationError } from '../../contracts/contract-violation-error';
import { csvOptions, DatasetManifestSchema, parseDatasetManifest } from '../../contracts/dataset-manifest';
import { DELETE, errorOf, withChange } from './fixtures';

const valid = {
  name: 'traffic',
  description: 'Road sensors: speed, occupancy and vehicle classes per lane.',
  raw: { format: 'jsonl', keyPrefix: 'traffic/' },
  eventTime: { column: 'observed at', format: 'iso8601' },
  partitioning: { by: 'hour', keys: ['year', 'month', 'day', 'hour'] },
  lookback: { minutes: 60, rows: 12 },
  quality: [
    { name: 'speed_in_range', predicate: 'speed_kmh BETWEEN 0 AND 250', reason: 'speed outside 0..250 km/h' },
    { name: 'has_sensor', predicate: 'sensor_id IS NOT NULL', reason: 'missing sensor id' },
  ],
  forecast: { target: 'speed_kmh', groupBy: ['sensor_id'], every: '15m', horizon: 4, season: 96 },
  refine: { sql: 'refine.sql' },
  views: { dir: 'views' },
  deadlines: { 'announce-crawl': 20, refine: 45.5 },
};

describe('DatasetManifestSchema', () => {
  it('accepts a full manifest unchanged', () => {
    expect(parseDatasetManifest(valid)).toEqual(valid);
  });

  it('accepts a minimal manifest (no keyPrefix, format, rows, forecast or views; no quality rules; daily partitions)', () => {
    const minimal = {
      name: 'sales_2',
      description: 'Daily sales.',
      raw: { format: 'csv' },
      eventTime: { column: 'sold_at' },
      partitioning: { by: 'day', keys: ['year', 'month', 'day'] },
      lookback: { minutes: 0 },
      quality: [],
      refine: { sql: 'sql/refine.sql' },
    };
    expect(DatasetManifestSchema.parse(minimal)).toEqual(minimal);
  });

  it('accepts every raw format, CSV options, file column names with spaces and any case, and month partitions', () => {
    for (const format of ['jsonl', 'json', 'parquet']) expect(parseDatasetManifest(withChange(valid, ['raw'], { format })).raw.format).toBe(format);
    const csv = {
      ...valid,
      raw: { format: 'csv', csv: { header: false, delimiter: ';', quote: "'", escape: '"' }, columns: { 'Wind Speed': 'number', DATE: 'string' } },
      eventTime: { column: 'date', format: '%d/%m/%Y' },
      partitioning: { by: 'month', keys: ['year', 'month'] },
    };
    expect(parseDatasetManifest(csv)).toEqual(csv);
    expect(csvOptions(parseDatasetManifest(csv))).toEqual({ header: false, delimiter: ';', quote: "'", escape: '"' });
    expect(csvOptions(parseDatasetManifest(withChange(csv, ['raw', 'csv'], DELETE)))).toEqual({ header: true, delimiter: ',', quote: '"', escape: '"' });
  });

  it.each([
    [['name'], 'Traffic', 'name: expected a lowercase identifier'],
    [['name'], 'road-traffic', 'name: expected a lowercase identifier'],
    [['description'], DELETE, 'description: expected string, received undefined'],
    [['raw', 'format'], 'xml', 'raw.format: expected one of "jsonl"|"json"|"csv"|"parquet"'],
    [['raw', 'csv'], { header: false }, 'raw.csv: csv options apply to format "csv" only, format is "jsonl"'],
    [['raw', 'columns'], { Speed: 'number', speed: 'integer' }, 'raw.columns: columns "Speed" and "speed" are one column once lowercased as Glue does'],
    [['raw', 'columns'], { ' speed': 'number' }, 'raw.columns: expected a column name as in the file'],
    [['raw', 'columns'], { speed: 'float' }, 'raw.columns.speed: expected one of'],
    [['raw', 'keyPrefix'], '/abs/', 'raw.keyPrefix: expected a relative key prefix'],
    [['eventTime', 'column'], 'observedAt', 'eventTime.column: expected the column name as catalogued (lowercase'],
    [['eventTime', 'column'], '', 'eventTime.column: Too small'],
    [['eventTime', 'format'], 'YYYY-MM-DD', 'eventTime.format: expected "iso8601", "epoch_seconds", "epoch_millis" or a strptime pattern'],
    [['eventTime', 'format'], '%Y-%m-%dT%H:%M:%S%z', 'eventTime.format: strptime pattern uses "%z", not supported'],
    [['eventTime', 'format'], '%Y-%m-%d %', 'eventTime.format: strptime pattern uses "%", not supported'],
    [['partitioning', 'by'], 'minute', 'partitioning.by: expected one of "hour"|"day"|"month"'],
    [['partitioning', 'keys'], ['year', 'month', 'day'], 'partitioning.keys: partitioning by hour takes 4 keys (e.g. year, month, day, hour), got 3'],
    [['partitioning'], { by: 'month', keys: ['year', 'month', 'day'] }, 'partitioning.keys: partitioning by month takes 2 keys (e.g. year, month), got 3'],
    [['partitioning'], { by: 'day', keys: ['year', 'month'] }, 'partitioning.keys: partitioning by day takes 3 keys (e.g. year, month, day), got 2'],
    [['raw'], { format: 'csv', csv: { delimiter: ';;' } }, 'raw.csv.delimiter: expected exactly one character'],
    [['partitioning', 'keys'], ['year', 'month', 'day', 'day'], 'partitioning.keys: partition keys must be unique'],
    [['partitioning', 'keys', 3], 'Hour', 'partitioning.keys[3]: expected a lowercase identifier'],
    [['lookback', 'minutes'], -5, 'lookback.minutes: Too small'],
    [['lookback', 'rows'], 0, 'lookback.rows: Too small'],
    [['lookback'], { duration: 'PT1H' }, 'lookback.minutes: expected number, received undefined'],
    [['quality', 0, 'predicate'], '   ', 'quality[0].predicate: Too small'],
    [['quality', 1, 'name'], 'speed_in_range', 'quality: quality rule names must be unique'],
    [['quality', 0, 'sevrity'], 'high', 'quality[0]: Unrecognized key: "sevrity"'],
    [['forecast', 'every'], '15 minutes', 'forecast.every: expected a duration such as "15m", "1h", "1d", "1w" or "1mo"'],
    [['forecast', 'every'], '0h', 'forecast.every: expected a duration'],
    [['forecast', 'horizon'], 0, 'forecast.horizon: Too small'],
    [['forecast', 'horizon'], 1.5, 'forecast.horizon: expected int'],
    [['forecast', 'season'], 0, 'forecast.season: Too small'],
    [['forecast', 'groupBy'], ['sensor_id', 'step'], 'forecast.groupBy[1]: step is a column of the forecast table itself'],
    [['forecast', 'groupBy'], ['sensor_id', 'SENSOR_ID'], 'forecast.groupBy: group-by columns must be unique'],
    [['forecast', 'horizonMinutes'], 60, 'forecast: Unrecognized key: "horizonMinutes"'],
    [['refine', 'sql'], '../other/refine.sql', 'refine.sql: expected a path relative to the dataset folder'],
    [['refine', 'sql'], 'refine.txt', 'refine.sql: expected a .sql file'],
    [['views', 'dir'], 'views/../..', 'views.dir: expected a path relative to the dataset folder'],
    [['schedule'], 'hourly', '(root): Unrecognized key: "schedule"'],
    [['deadlines', 'refne'], 30, 'deadlines: Unrecognized key: "refne"'],
    [['deadlines', 'forecast'], 0, 'deadlines.forecast: Too small'],
    [['trigger'], { schedule: 'rate(1 hours)' }, 'trigger.schedule: expected an EventBridge schedule expression such as "rate(1 hour)"'],
    [['trigger'], { schedule: 'cron(0 * * * *)' }, 'trigger.schedule: expected an EventBridge schedule expression'],
    [['trigger'], { schedule: 'cron(0 * * * * *)' }, 'trigger.schedule: expected an EventBridge schedule expression'],
    [['trigger'], { every: '1h' }, 'trigger: Unrecognized key: "every"'],
  ])('rejects %j = %j naming the path', (keys, value, message) => {
    expect(errorOf(() => parseDatasetManifest(withChange(valid, keys, value)))).toContain(message);
  });

  it.each(['rate(1 hour)', 'rate(15 minutes)', 'cron(0 * * * ? *)', 'cron(30 2 ? * MON-FRI *)', 'cron(0 0 L * ? *)'])('accepts the batch trigger %s (the bus\'s schedule parser)', (schedule) => {
    expect(parseDatasetManifest(withChange(valid, ['trigger'], { schedule })).trigger).toEqual({ schedule });
  });

  it('accepts a forecast of one series (no group-by columns) with the season left to the step', () => {
    const oneSeries = withChange(valid, ['forecast'], { target: 'temp_max', groupBy: [], every: '1d', horizon: 7 });
    expect(parseDatasetManifest(oneSeries).forecast).toEqual({ target: 'temp_max', groupBy: [], every: '1d', horizon: 7 });
  });

  it('labels the error with the manifest file and reports every problem at once', () => {
    const broken = withChange(withChange(valid, ['name'], 'X'), ['raw', 'format'], 'xml');
    let caught: unknown;
    try {
      parseDatasetManifest(broken, 'sql/traffic/manifest.json');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ContractViolationError);
    const error = caught as ContractViolationError;
    expect(error.message).toMatch(/^sql\/traffic\/manifest\.json is invalid: name: /);
    expect(error.problems.map((p) => p.split(':')[0])).toEqual(['name', 'raw.format']);
  });
});

describe('the shipped dataset manifests', () => {
  const sqlDir = path.join(__dirname, '..', '..', 'sql');
  const manifests = fs.existsSync(sqlDir)
    ? fs.readdirSync(sqlDir).filter((d) => fs.existsSync(path.join(sqlDir, d, 'manifest.json')))
    : [];

  it('each sql/<name>/manifest.json is valid, named after its folder, and points at files that exist', () => {
    for (const dataset of manifests) {
      const file = path.join(sqlDir, dataset, 'manifest.json');
      const manifest = parseDatasetManifest(JSON.parse(fs.readFileSync(file, 'utf8')), path.relative(process.cwd(), file));
      expect(manifest.name).toBe(dataset);
      expect(fs.existsSync(path.join(sqlDir, dataset, manifest.refine.sql))).toBe(true);
      if (manifest.views) expect(fs.statSync(path.join(sqlDir, dataset, manifest.views.dir)).isDirectory()).toBe(true);
    }
  });
});
