import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { z } from 'zod';

const shapeRef = z.object({ shape: z.string() });

/** One shape of a botocore service model: the fields the request check reads. */
export const shapeSchema = z.object({
  type: z.string(),
  required: z.array(z.string()).optional(),
  members: z.record(z.string(), shapeRef).optional(),
  member: shapeRef.optional(),
  key: shapeRef.optional(),
  value: shapeRef.optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  pattern: z.string().optional(),
  enum: z.array(z.string()).optional(),
  union: z.boolean().optional(),
  document: z.boolean().optional(),
});

/** A shape of a botocore service model. */
export type ModelShape = z.infer<typeof shapeSchema>;

const modelSchema = z.object({
  metadata: z.object({ serviceId: z.string() }),
  operations: z.record(z.string(), z.object({ input: shapeRef.optional() })),
  shapes: z.record(z.string(), shapeSchema),
});

/** A service's published API model (botocore's `service-2.json`), reduced to what validation reads. */
export type ServiceModel = z.infer<typeof modelSchema>;

/** Botocore names a few services' folders differently from their SDK `serviceId`. */
const folderOf: Readonly<Record<string, string>> = { EventBridge: 'events' };

let dataDir: string | null | undefined;
const models = new Map<string, ServiceModel>();

/**
 * The folder holding botocore's service models (`BOTOCORE_DATA_DIR`, else asked of the machine's
 * python3), or null when botocore is not installed.
 */
export function botocoreDataDir(): string | null {
  if (dataDir !== undefined) return dataDir;
  const fromEnv = process.env.BOTOCORE_DATA_DIR;
  if (fromEnv !== undefined && fromEnv !== '') return (dataDir = fromEnv);
  try {
    const root = execFileSync('python3', ['-c', 'import botocore, os; print(os.path.dirname(botocore.__file__))'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    dataDir = existsSync(join(root, 'data')) ? join(root, 'data') : null;
  } catch {
    dataDir = null;
  }
  return dataDir;
}

/**
 * The newest published model of the service an SDK client names by `serviceId` (`Athena`,
 * `EventBridge`, …), parsed once per process; throws when botocore has no such service.
 */
export function serviceModel(serviceId: string): ServiceModel {
  const cached = models.get(serviceId);
  if (cached) return cached;
  const root = botocoreDataDir();
  if (root === null) throw new Error('botocore is not installed (python3 -c "import botocore" fails): AWS API models unavailable');
  const folder = join(root, folderOf[serviceId] ?? serviceId.toLowerCase().replace(/ /g, '-'));
  const version = existsSync(folder) ? readdirSync(folder).filter((v) => /^\d{4}-\d{2}-\d{2}$/.test(v)).sort().at(-1) : undefined;
  if (version === undefined) throw new Error(`botocore has no model for service ${serviceId} (looked in ${folder})`);
  const plain = join(folder, version, 'service-2.json');
  const text = existsSync(plain) ? readFileSync(plain, 'utf8') : gunzipSync(readFileSync(`${plain}.gz`)).toString('utf8');
  const model = modelSchema.parse(JSON.parse(text));
  if (model.metadata.serviceId !== serviceId) throw new Error(`botocore model ${folder} is for ${model.metadata.serviceId}, not ${serviceId}`);
  models.set(serviceId, model);
  return model;
}
