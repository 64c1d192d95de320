import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { extraDatasetDirs, readDatasetFolders } from '../../../infra/aws/dataset-manifests';
import { bundledCode } from '../../../infra/aws/constructs/stage-functions';
import { DEFAULT_SQL_DIR } from '../../../infra/datasets/dataset-roots';

describe('the datasets the CDK app deploys', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'tributary-cdk-datasets-'));
    for (const [dir, name] of [['a', 'weather'], ['b', 'weather'], ['b', 'flights']] as const) {
      await cp(path.join(DEFAULT_SQL_DIR, 'traffic'), path.join(root, dir, name), { recursive: true });
      const manifest = path.join(root, dir, name, 'manifest.json');
      await writeFile(manifest, (await readFile(manifest, 'utf8')).replace('"name": "traffic"', `"name": "${name}"`));
    }
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('are the built-in sql/ plus the folders of the datasetDirs context key, copied into the Lambda bundle', () => {
    expect(extraDatasetDirs(`${root}/a: :${root}/x`)).toEqual([path.join(root, 'a'), path.join(root, 'x')]);
    expect(extraDatasetDirs([`${root}/a`])).toEqual([path.join(root, 'a')]);
    expect(extraDatasetDirs(undefined)).toEqual([]);
    const folders = readDatasetFolders(DEFAULT_SQL_DIR, [path.join(root, 'a')]);
    expect(folders.map((d) => [d.name, d.folder])).toEqual([['traffic', path.join(DEFAULT_SQL_DIR, 'traffic')], ['weather', path.join(root, 'a', 'weather')]]);
    const hooks = bundledCode('/repo', folders.filter((d) => d.name === 'weather')).bundling?.commandHooks;
    expect(hooks?.afterBundling('/repo', '/out')).toEqual(['cp -R "/repo/sql" "/out/sql"', `cp -R "${path.join(root, 'a', 'weather')}" "/out/sql/weather"`]);
  });

  it('refuse a name defined in two folders, naming both, and a folder that does not exist', () => {
    expect(() => readDatasetFolders(DEFAULT_SQL_DIR, [path.join(root, 'a'), path.join(root, 'b')])).toThrow(`dataset "weather" is defined twice, in ${path.join(root, 'a', 'weather')} and in ${path.join(root, 'b', 'weather')}`);
    expect(() => readDatasetFolders(DEFAULT_SQL_DIR, [path.join(root, 'missing')])).toThrow(/datasetDirs names .*missing, which does not exist/);
  });
});
