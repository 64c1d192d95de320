import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { CatalogPort } from '../../../handlers/ports/catalog';
import { localPathOfUri } from '../../local/lake-paths';
import type { AthenaStatement } from './athena-statement';

/**
 * Removes what an interrupted run of a query left behind, so that running it again gives what one run
 * gives: its write folder under `<lake>/.staging/` and the files it had already moved into its target
 * (the engine names every file it writes `<time>_<query id>_<n>`, so they are told apart from others).
 * The target is the UNLOAD location, the CTAS external location or the INSERT table's location; other
 * statements write no files. Folders left empty are removed too. A target outside the lake is left
 * alone (the statement will fail anyway).
 */
export async function discardPartialOutput(home: string, catalog: CatalogPort, statement: AthenaStatement, database: string, queryId: string): Promise<void> {
  const lake = path.join(home, 'lake');
  const ownFile = (name: string): boolean => name.includes(`_${queryId}`);
  for (const name of await fs.readdir(path.join(lake, '.staging')).catch(() => [])) {
    if (ownFile(name)) await fs.rm(path.join(lake, '.staging', name), { recursive: true, force: true });
  }
  const location = await targetOf(catalog, statement, database);
  if (location === undefined) return;
  let dir: string;
  try {
    dir = localPathOfUri(home, location);
  } catch {
    return;
  }
  await removeOwnFiles(dir, ownFile);
}

async function targetOf(catalog: CatalogPort, statement: AthenaStatement, database: string): Promise<string | undefined> {
  switch (statement.kind) {
    case 'unload':
      return statement.location;
    case 'ctas': {
      const location = statement.properties['external_location'];
      return typeof location === 'string' ? location : undefined;
    }
    case 'insert':
      return (await catalog.getTable(statement.target.database ?? database, statement.target.table))?.StorageDescriptor.Location;
    default:
      return undefined;
  }
}

/** Removes the query's files under `dir`, and the sub-folders that this leaves empty (an UNLOAD needs an empty target). */
async function removeOwnFiles(dir: string, own: (name: string) => boolean): Promise<void> {
  for (const entry of await fs.readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      await removeOwnFiles(full, own);
      if ((await fs.readdir(full).catch(() => [''])).length === 0) await fs.rmdir(full).catch(() => undefined);
    } else if (own(entry.name)) {
      await fs.rm(full, { force: true });
    }
  }
}
