import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';

/**
 * Writes a file atomically: a dot-named temporary in the same folder, then a rename, so a reader (or
 * a crash) sees the old content or the new, never half of it. Dot-files are never listed as objects.
 */
export async function writeFileAtomically(file: string, body: string | Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temp = path.join(path.dirname(file), `.tributary-tmp-${randomUUID()}`);
  try {
    await writeFile(temp, body);
    await rename(temp, file);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
}
