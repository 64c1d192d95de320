import { z } from 'zod';
import { ConfigurationError } from '../../contracts/configuration-error';
import { describeIssues } from '../../contracts/contract-violation-error';
import { DatasetManifestSchema, type DatasetManifest } from '../../contracts/dataset-manifest';
import { lineOfJsonPath, lineOfJsonSyntaxError } from './json-line';

/** A manifest's text read against the contract: the manifest when valid, else one problem per issue. */
export type ManifestReading =
  | { readonly manifest: DatasetManifest; readonly problems: readonly [] }
  | { readonly manifest: undefined; readonly problems: readonly ConfigurationError[] };

/**
 * Parses a manifest's text and validates it against the contract, reporting every problem (not only
 * the first) as a ConfigurationError naming `file` and the line of the offending key, so a person
 * fixes them all in one pass. JSON that does not parse is one problem at the line the parser names.
 */
export function readManifest(text: string, file: string): ManifestReading {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { manifest: undefined, problems: [new ConfigurationError(file, lineOfJsonSyntaxError(text, err), `not valid JSON: ${err instanceof Error ? err.message : String(err)}`, { cause: err })] };
  }
  const parsed = DatasetManifestSchema.safeParse(value);
  if (parsed.success) return { manifest: parsed.data, problems: [] };
  return { manifest: undefined, problems: parsed.error.issues.map((issue) => issueProblem(text, file, issue)) };
}

/** One zod issue as a ConfigurationError at the line of its path (an unknown key: that key's line). */
function issueProblem(text: string, file: string, issue: z.core.$ZodIssue): ConfigurationError {
  const where = [...issue.path, ...(issue.code === 'unrecognized_keys' ? issue.keys.slice(0, 1) : [])];
  const [described] = describeIssues([issue]);
  return new ConfigurationError(file, lineOfJsonPath(text, where) ?? 1, `the dataset manifest contract rejects it: ${described ?? issue.message}`);
}
