import { mkdir } from 'node:fs/promises';
import { DuckDBInstance } from '@duckdb/node-api';

/** A DuckDB size setting: a number and a unit, as `memory_limit` takes it. */
const SIZE_PATTERN = /^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i;

/** The resources one in-memory DuckDB instance may use. */
export interface DuckDbResources {
  /** DuckDB's `memory_limit` (e.g. `256MB`): its buffers stay under it, spilling to `tempDirectory` past it. */
  readonly memoryLimit: string;
  /** Where DuckDB spills past its memory limit; created when missing. Without one, DuckDB cannot spill. */
  readonly tempDirectory?: string;
  /** Worker threads (default DuckDB's: the cores). */
  readonly threads?: number;
  /** False where no reader depends on the order rows come out in (lets DuckDB stream more, in less memory). */
  readonly preserveInsertionOrder?: boolean;
}

/** True when a text is a size DuckDB's `memory_limit` takes (`512MB`, `1.5GB`). */
export function isDuckDbSize(text: string): boolean {
  return SIZE_PATTERN.test(text.trim());
}

const UNIT_BYTES: Record<string, number> = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40 };

/** The bytes of a DuckDB size (`1.5GB` is 1.5e9 bytes, `512MiB` 512·2^20, as DuckDB counts them). */
export function duckDbSizeBytes(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]+)$/i.exec(text.trim());
  const unit = UNIT_BYTES[match?.[2]?.toLowerCase() ?? ''];
  if (!match || unit === undefined) throw new Error(`not a DuckDB size such as 512MB or 2GB: ${JSON.stringify(text)}`);
  return Number(match[1]) * unit;
}

/**
 * The DuckDB size in an environment variable, or `fallback` when it is unset or empty; a malformed
 * value is an error naming the variable (not retryable: the environment must be fixed).
 */
export function duckDbSizeFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const value = env[name]?.trim();
  if (!value) return fallback;
  if (!isDuckDbSize(value)) throw new Error(`${name} must be a size such as 512MB or 2GB, got ${JSON.stringify(value)}`);
  return value;
}

/**
 * Opens an in-memory DuckDB instance with its resources fixed at creation: every DuckDB of the
 * embedded runtime is made here, so none runs with DuckDB's default memory limit (80% of the
 * machine's memory) and the `up` process's resident memory has a bound.
 */
export async function openBoundedDuckDb(resources: DuckDbResources): Promise<DuckDBInstance> {
  if (!isDuckDbSize(resources.memoryLimit)) throw new Error(`a DuckDB memory limit must be a size such as 256MB or 1GB, got ${JSON.stringify(resources.memoryLimit)}`);
  if (resources.threads !== undefined && (!Number.isInteger(resources.threads) || resources.threads < 1)) throw new Error(`DuckDB threads must be a whole number of at least 1, got ${resources.threads}`);
  const options: Record<string, string> = { memory_limit: resources.memoryLimit.trim() };
  if (resources.tempDirectory !== undefined) {
    await mkdir(resources.tempDirectory, { recursive: true });
    options.temp_directory = resources.tempDirectory;
  }
  if (resources.threads !== undefined) options.threads = String(resources.threads);
  if (resources.preserveInsertionOrder === false) options.preserve_insertion_order = 'false';
  return DuckDBInstance.create(':memory:', options);
}
