import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_SQL_DIR, folderRoot } from '../../../infra/datasets/dataset-roots';
import { FolderDatasetStore } from '../../../infra/datasets/folder-dataset-store';
import { validateDataset, validateDatasets } from '../../../infra/datasets/validate-dataset';

/** The 1-based line of the first occurrence of `fragment` in `text`. */
const lineOf = (text: string, fragment: string): number => {
  const at = text.indexOf(fragment);
  if (at === -1) throw new Error(`fragment not found: ${fragment}`);
  return text.slice(0, at).split('\n').length;
};

describe('validateDataset: checks a dataset folder without data', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'tributary-validate-test-'));
    await cp(path.join(DEFAULT_SQL_DIR, 'traffic'), path.join(root, 'traffic'), { recursive: true });
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  /** Edits one file of the copied traffic dataset, validates it, and returns the problems as `file:line message` plus the edited text. */
  const validateWith = async (file: string, edit: (text: string) => string): Promise<{ text: string; problems: { file: string; line: number | undefined; message: string }[] }> => {
    const full = path.join(root, 'traffic', file);
    const text = edit(await readFile(full, 'utf8'));
    await writeFile(full, text);
    const located = await new FolderDatasetStore([folderRoot(root)]).locateDataset('traffic');
    if (!located) throw new Error('traffic not found');
    const problems = await validateDataset(located);
    return { text, problems: problems.map((p) => ({ file: p.file, line: p.line, message: p.message })) };
  };
  const fileOf = (rel: string): string => path.posix.join(root.split(path.sep).join('/'), 'traffic', rel);

  it('finds nothing wrong with the shipped traffic dataset', async () => {
    expect(await validateDatasets(new FolderDatasetStore())).toEqual([]);
  });

  it('a typo in a placeholder: the line of the placeholder', async () => {
    const { text, problems } = await validateWith('refine.sql', (t) => t.replace('eventtime < CAST(:window_end AS timestamp)', 'eventtime < CAST(:window_ned AS timestamp)'));
    expect(problems).toEqual([{ file: fileOf('refine.sql'), line: lineOf(text, ':window_ned'), message: expect.stringMatching(/no value for placeholder :window_ned/) }]);
  });

  it('an unknown column: the line the engine points at', async () => {
    const { text, problems } = await validateWith('refine.sql', (t) => t.replace('    previousspeed,\n', '    previous_speed,\n'));
    expect(problems).toEqual([{ file: fileOf('refine.sql'), line: lineOf(text, 'previous_speed'), message: expect.stringMatching(/previous_speed/) }]);
  });

  it('bad SQL syntax: the line of the offending token', async () => {
    const { text, problems } = await validateWith('rejects.sql', (t) => t.replace('WHERE reason IS NOT NULL', 'WHERE reason IS NOT NULL NULL'));
    expect(problems).toEqual([{ file: fileOf('rejects.sql'), line: lineOf(text, 'WHERE reason IS NOT NULL NULL'), message: expect.stringMatching(/SYNTAX_ERROR|syntax/i) }]);
  });

  it('partition keys not last: the line of the misplaced key', async () => {
    const yearLine = "  lpad(CAST(year(eventtime) AS varchar), 4, '0') AS year,\n";
    const { text, problems } = await validateWith('refine.sql', (t) => t.replace(yearLine, '').replace('  source_object,\n  duplicate_objects,\n', `  source_object,\n${yearLine}  duplicate_objects,\n`));
    expect(problems).toEqual([{ file: fileOf('refine.sql'), line: lineOf(text, 'AS year,'), message: expect.stringMatching(/partition keys year, month, day, hour must be the last columns/) }]);
  });

  it('a view that names a column the refined table lacks: the line in the view file', async () => {
    const { text, problems } = await validateWith('views/current_jams.sql', (t) => t.replace('  bezettingsgraad,\n', '  occupancy,\n'));
    expect(problems).toEqual([{ file: fileOf('views/current_jams.sql'), line: lineOf(text, 'occupancy'), message: expect.stringMatching(/occupancy/) }]);
  });

  it('forecast input SQL reading a column the refined table lacks: the line in its file', async () => {
    const manifest = path.join(root, 'traffic', 'manifest.json');
    await writeFile(manifest, (await readFile(manifest, 'utf8')).replace('"target": "currentspeed",', '"target": "currentspeed",\n    "inputSql": "forecast-input.sql",'));
    await writeFile(path.join(root, 'traffic', 'forecast-input.sql'), [
      '-- The forecast input, written by hand: the group-by columns, time and value in a window.',
      'SELECT uniqueid, CAST(eventtime AS varchar) AS time,',
      '  CAST(currentspeed AS double) AS value',
      'FROM :refined_database.traffic',
      "WHERE eventtime >= CAST(:window_start AS timestamp) AND eventtime < CAST(:window_end AS timestamp)",
      '',
    ].join('\n'));
    const { text, problems } = await validateWith('forecast-input.sql', (t) => t.replace('CAST(currentspeed AS double)', 'CAST(speed_kmh AS double)'));
    expect(problems).toEqual([{ file: fileOf('forecast-input.sql'), line: lineOf(text, 'speed_kmh'), message: expect.stringMatching(/speed_kmh/) }]);
  });

  it('a forecast target or group-by column the refined table lacks: the line of its key in the manifest', async () => {
    const { text, problems } = await validateWith('manifest.json', (t) => t.replace('"target": "currentspeed"', '"target": "currentsped"'));
    expect(problems).toEqual([{ file: fileOf('manifest.json'), line: lineOf(text, '"currentsped"'), message: expect.stringMatching(/forecast\.target "currentsped" is not a column of the refined table \(its columns: uniqueid, .*currentspeed/) }]);
  });

  it('a manifest the contract rejects: one line per problem, each at its key', async () => {
    const { text, problems } = await validateWith('manifest.json', (t) => t.replace('"by": "hour"', '"by": "fortnight"').replace('"minutes": 30', '"minutes": -1'));
    expect(problems).toEqual([
      { file: fileOf('manifest.json'), line: lineOf(text, '"by": "fortnight"'), message: expect.stringMatching(/partitioning\.by/) },
      { file: fileOf('manifest.json'), line: lineOf(text, '"minutes": -1'), message: expect.stringMatching(/lookback\.minutes/) },
    ]);
  });

  it('a quality rule whose predicate names a column the raw data lacks: the line of the predicate', async () => {
    const { text, problems } = await validateWith('manifest.json', (t) => t.replace('"predicate": "currentspeed IS NOT NULL"', '"predicate": "current_speed IS NOT NULL"'));
    expect(problems).toEqual([{ file: fileOf('manifest.json'), line: lineOf(text, 'current_speed IS NOT NULL'), message: expect.stringMatching(/quality rule missing_current_speed: its predicate does not compile over the raw columns: .*current_speed/) }]);
  });

  it('an event-time column that is not a raw column: the line of eventTime.column', async () => {
    const { text, problems } = await validateWith('manifest.json', (t) => t.replace('"column": "recordtimestamp"', '"column": "recordtimestmp"'));
    expect(problems).toEqual([{ file: fileOf('manifest.json'), line: lineOf(text, '"recordtimestmp"'), message: expect.stringMatching(/eventTime\.column "recordtimestmp" is not a raw column \(raw\.columns: uniqueid, .*recordtimestamp/) }]);
  });

  it('a manifest without raw.columns: the SQL cannot be checked, said at the raw section', async () => {
    const { text, problems } = await validateWith('manifest.json', (t) => t.replace(/"format": "jsonl",\n\s*"columns": \{[^}]*\}/, '"format": "jsonl"'));
    expect(problems).toEqual([{ file: fileOf('manifest.json'), line: lineOf(text, '"raw"'), message: expect.stringMatching(/raw\.columns is not declared/) }]);
  });

  it('a dataset name defined in two folders: one problem naming both', async () => {
    const other = path.join(root, 'second');
    await mkdir(other);
    await cp(path.join(root, 'traffic'), path.join(other, 'traffic'), { recursive: true });
    const problems = await validateDatasets(new FolderDatasetStore([folderRoot(root), folderRoot(other)]));
    expect(problems.map((p) => p.message)).toEqual([expect.stringContaining(`defined twice, in ${path.join(root, 'traffic')} and in ${path.join(other, 'traffic')}`)]);
  });
});
