import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_SQL_DIR } from '../../../../../infra/datasets/dataset-roots';

const BIN = path.join(__dirname, '..', '..', '..', '..', '..', 'infra', 'operator', 'cli', 'bin.cjs');

describe('tributary datasets / dataset validate, and up refusing a broken dataset', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'tributary-dataset-cli-'));
    // A copy of traffic named `jams` in the home, with a placeholder typo; a valid copy `roads` in an extra folder.
    const jams = path.join(dir, 'home', 'datasets', 'jams');
    const roads = path.join(dir, 'extra', 'roads');
    for (const [folder, name] of [[jams, 'jams'], [roads, 'roads']] as const) {
      await cp(path.join(DEFAULT_SQL_DIR, 'traffic'), folder, { recursive: true });
      for (const file of ['manifest.json', 'refine.sql', 'rejects.sql', 'views/current_jams.sql', 'views/hourly_speed_profile.sql']) {
        const text = await readFile(path.join(folder, file), 'utf8');
        await writeFile(path.join(folder, file), text.replace('"name": "traffic"', `"name": "${name}"`).replace(/(:raw_database|:refined_database)\.traffic\b/g, `$1.${name}`));
      }
    }
    const refine = path.join(jams, 'refine.sql');
    await writeFile(refine, (await readFile(refine, 'utf8')).replace('eventtime < CAST(:window_end AS timestamp)', 'eventtime < CAST(:window_edn AS timestamp)'));
    env = { ...process.env, NODE_NO_WARNINGS: '1', POWERTOOLS_LOG_LEVEL: 'WARN', TRIBUTARY_DATASETS: path.join(dir, 'extra') };
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args, '--home', path.join(dir, 'home')], { encoding: 'utf8', env, timeout: 120_000 });

  it('lists every dataset with the folder it comes from', () => {
    const r = run('datasets');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`jams     ${path.join(dir, 'home', 'datasets', 'jams')}`);
    expect(r.stdout).toContain(`roads    ${path.join(dir, 'extra', 'roads')}`);
    expect(r.stdout).toContain(`traffic  ${path.join(DEFAULT_SQL_DIR, 'traffic')}`);
  });

  it('validate prints one line per problem with file and line and exits 1; up refuses with the same lines', async () => {
    const refine = path.join(dir, 'home', 'datasets', 'jams', 'refine.sql');
    const line = (await readFile(refine, 'utf8')).split('\n').findIndex((l) => l.includes(':window_edn')) + 1;
    const problem = `${refine} line ${line}: no value for placeholder :window_edn (the stage binds :raw_database, :refined_database, :forecast_database, :window_start, :window_end, :lookback_minutes, :objects)`;
    const validate = run('dataset', 'validate');
    expect(validate.status).toBe(1);
    expect(validate.stderr).toBe(`${problem}\n`);
    expect(validate.stdout).toContain(`roads: valid (${path.join(dir, 'extra', 'roads')})`);
    const up = run('up', '--port', '0');
    expect(up.status).toBe(1);
    expect(up.stderr).toBe(`${problem}\ntributary: refusing to start: 1 dataset problem(s) above (fix them, then check with \`tributary dataset validate\`)\n`);
  });
});
