import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { awsDatasetProblems } from '../../../infra/aws/aws-dataset-limits';
import { DEFAULT_SQL_DIR, folderRoot } from '../../../infra/datasets/dataset-roots';
import { FolderDatasetStore } from '../../../infra/datasets/folder-dataset-store';

describe('awsDatasetProblems (what the CDK app refuses to deploy)', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'tributary-aws-limits-'));
    for (const [name, format] of [['arrays', 'json'], ['lines', 'jsonl']] as const) {
      await cp(path.join(DEFAULT_SQL_DIR, 'traffic'), path.join(root, name), { recursive: true });
      const manifest = path.join(root, name, 'manifest.json');
      const parsed = JSON.parse(await readFile(manifest, 'utf8')) as { name: string; raw: Record<string, unknown> };
      await writeFile(manifest, JSON.stringify({ ...parsed, name, raw: { ...parsed.raw, format } }, null, 2));
    }
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('refuses a JSON-array dataset with its manifest file and the line of raw.format; JSON lines pass', async () => {
    const text = await readFile(path.join(root, 'arrays', 'manifest.json'), 'utf8');
    const line = text.split('\n').findIndex((l) => l.includes('"format": "json"')) + 1;
    const problems = await awsDatasetProblems(new FolderDatasetStore([folderRoot(root)]));
    expect(problems.map((p) => p.message)).toEqual([`${path.join(root, 'arrays', 'manifest.json')} line ${line}: raw.format "json" (one JSON array of objects per file) cannot run on AWS: Athena's JSON SerDe reads one object per line, so no query of the raw table could read these files; write them as JSON lines and declare raw.format "jsonl" (the embedded pipeline reads both)`]);
    expect(problems[0]?.retryable).toBe(false);
  });
});
