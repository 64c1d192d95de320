import { z } from 'zod';
import { readJsonFile, writeJsonFileAtomic } from '../bus/atomic-json-file';
import { DeliveryStreamDefinitionSchema, type DeliveryStreamDefinition } from './delivery-stream-definition';

const RegistryFileSchema = z.object({ streams: z.array(DeliveryStreamDefinitionSchema) });

/** Reads the delivery streams saved in `file` (none when it does not exist); a corrupt file names itself. */
export async function loadStreams(file: string): Promise<DeliveryStreamDefinition[]> {
  const content = await readJsonFile(file);
  if (content === undefined) return [];
  const parsed = RegistryFileSchema.safeParse(content);
  if (!parsed.success) throw new Error(`${file} is not a delivery-stream registry: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data.streams;
}

/** Saves the delivery streams atomically and durably (temp file, fsync, rename). */
export async function saveStreams(file: string, streams: readonly DeliveryStreamDefinition[]): Promise<void> {
  await writeJsonFileAtomic(file, { streams });
}
