import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MissingPortError, pickDeps, type AvailablePorts } from '../../../handlers/needs/pick-deps';
import { UndeclaredZoneAccessError } from '../../../handlers/needs/zone-guard';
import { needs as registerLandingNeeds } from '../../../handlers/register-landing';
import { FolderDatasetStore } from '../../../infra/datasets/folder-dataset-store';
import { JsonFileCatalog } from '../../../infra/emulators/catalog/json-file-catalog';
import { FolderObjectStore } from '../../../infra/emulators/object-store/folder-object-store';
import { localTopology } from '../../../infra/local/runtime/embedded-runtime';

/** A stage's deps at run time: only its declared ports, the object store held to its zones, on a real folder lake. */
describe('pickDeps', () => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'tributary-needs-'));
  afterAll(() => rmSync(home, { recursive: true, force: true }));
  const { raw, refined, quarantine } = localTopology.buckets;
  const ports: AvailablePorts = { objects: new FolderObjectStore({ home }), catalog: new JsonFileCatalog(home), datasets: new FolderDatasetStore(), topology: localTopology, clock: () => new Date() };

  it('hands over only the declared ports, with the catalog cut to its read calls', () => {
    const deps = pickDeps('probe', { catalog: 'read' }, ports);
    expect(Object.keys(deps).sort()).toEqual(['catalog', 'clock', 'datasets', 'topology']);
    expect('createTable' in deps.catalog).toBe(false);
    expect('createTable' in pickDeps('probe', { catalog: 'write' }, ports).catalog).toBe(true);
  });

  it('lets register-landing move a raw file to quarantine and nothing else: no raw writes, no other zone', async () => {
    await ports.objects?.putObject(raw, 'traffic/a.jsonl', '{}\n');
    const deps = pickDeps('register-landing', { zones: registerLandingNeeds.zones }, ports);
    await deps.objects.moveObject({ bucket: raw, key: 'traffic/a.jsonl' }, { bucket: quarantine, key: 'traffic/a.jsonl' });
    expect((await deps.objects.getObject(quarantine, 'traffic/a.jsonl')).toString()).toBe('{}\n');
    await expect(deps.objects.putObject(raw, 'traffic/b.jsonl', 'x')).rejects.toThrow('stage register-landing may not write objects in the raw zone (declared: read-delete): declare it in the stage\'s needs');
    await expect(deps.objects.listObjects(refined, '')).rejects.toMatchObject({ retryable: false, constructor: UndeclaredZoneAccessError });
    await expect(deps.objects.getObject('elsewhere', 'k')).rejects.toThrow('bucket elsewhere, which is no lake zone');
  });

  it('refuses to run a stage whose composition root did not build a declared port', () => {
    expect(() => pickDeps('probe', { query: 'read', runs: true }, ports)).toThrow(new MissingPortError('stage probe declares ports its composition root did not build: runs, query'));
  });
});
