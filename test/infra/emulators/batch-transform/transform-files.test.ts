import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { listInputObjects, outputUriOf } from '../../../../infra/emulators/batch-transform/transform-files';
import { localPathOfUri } from '../../../../infra/local/lake-paths';

describe('listInputObjects', () => {
  let home: string;
  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'tributary-bt-files-'));
    for (const key of ['in/part-1.csv', 'in/partition/x.csv', 'in/other/y.csv', 'in/.tributary-tmp-123', 'top.csv']) {
      const file = localPathOfUri(home, `s3://tributary-raw/${key}`);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, key);
    }
  });
  afterAll(async () => rm(home, { recursive: true, force: true }));

  it('lists a prefix as S3 does (a string prefix, not a folder), skipping in-flight dot-files', async () => {
    const keys = async (uri: string) => (await listInputObjects(home, uri)).map((o) => o.key);
    expect(await keys('s3://tributary-raw/in/part')).toEqual(['in/part-1.csv', 'in/partition/x.csv']);
    expect(await keys('s3://tributary-raw/in/')).toEqual(['in/other/y.csv', 'in/part-1.csv', 'in/partition/x.csv']);
    expect(await keys('s3://tributary-raw/')).toEqual(['in/other/y.csv', 'in/part-1.csv', 'in/partition/x.csv', 'top.csv']);
    expect(await keys('s3://tributary-raw/missing/')).toEqual([]);
  });
});

describe('outputUriOf', () => {
  it('names the output after the key relative to the input prefix folder, plus .out', () => {
    expect(outputUriOf('in/x/a.csv', 's3://tributary-raw/in/', 's3://tributary-forecast/out')).toBe('s3://tributary-forecast/out/x/a.csv.out');
    expect(outputUriOf('in/part-1.csv', 's3://tributary-raw/in/part', 's3://tributary-forecast/out/')).toBe('s3://tributary-forecast/out/part-1.csv.out');
    expect(outputUriOf('a.csv', 's3://tributary-raw/', 's3://tributary-forecast/')).toBe('s3://tributary-forecast/a.csv.out');
  });
});
