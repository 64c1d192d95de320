import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import type { InferenceFunction } from '../../../handlers/ports/batch-transform';
import { localPathOfUri } from '../../local/lake-paths';
import { assembleOutput, miniBatches } from './mini-batches';
import { listInputObjects, outputUriOf, type InputObject } from './transform-files';
import type { TransformJobSpec } from './transform-job-spec';
import { crashPoint } from '../../local/runtime/crash-point';
import { writeFileAtomically } from './write-file-atomically';

/** What a job did: the `.out` objects written and, when some input failed, the reason. */
export interface TransformResult {
  readonly outputs: readonly string[];
  readonly failureReason?: string;
}

/**
 * Runs a job's inputs through the inference function as a SageMaker transform would: every object
 * under the input prefix, up to MaxConcurrentTransforms files at a time, each cut into mini-batches
 * sent in order; the responses of a file assembled into its `.out` object, written atomically. A file
 * whose inference fails gets no `.out` while the others carry on; the job then fails naming them.
 */
export async function runTransform(home: string, job: TransformJobSpec, infer: InferenceFunction): Promise<TransformResult> {
  const inputUri = job.TransformInput.DataSource.S3DataSource.S3Uri;
  const inputs = await listInputObjects(home, inputUri);
  if (inputs.length === 0) return { outputs: [], failureReason: `ClientError: No S3 objects found under S3 URL "${inputUri}" given in input data source.` };
  const outputs: string[] = [];
  const failures: string[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let input = inputs[next++]; input !== undefined; input = inputs[next++]) {
      try {
        outputs.push(await transformObject(home, job, infer, input));
      } catch (e) {
        failures.push(`${input.key}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(job.MaxConcurrentTransforms, inputs.length) }, worker));
  outputs.sort();
  if (failures.length === 0) return { outputs };
  failures.sort();
  const shown = failures.slice(0, 3).join('; ');
  return { outputs, failureReason: `ClientError: ${failures.length} of ${inputs.length} input files failed: ${shown}${failures.length > 3 ? '; …' : ''}` };
}

async function transformObject(home: string, job: TransformJobSpec, infer: InferenceFunction, input: InputObject): Promise<string> {
  const raw = await readFile(input.file);
  const text = (job.TransformInput.CompressionType === 'Gzip' ? gunzipSync(raw) : raw).toString('utf8');
  const bodies = miniBatches(text, {
    splitType: job.TransformInput.SplitType ?? 'None',
    batchStrategy: job.BatchStrategy,
    maxPayloadBytes: job.MaxPayloadInMB * 1024 * 1024,
  });
  const responses: string[] = [];
  for (const body of bodies) {
    const response: unknown = await infer(body, job.TransformInput.ContentType ?? '');
    if (typeof response !== 'string') throw new Error(`model ${job.ModelName} returned ${typeof response}, not a string body`);
    responses.push(response);
  }
  const uri = outputUriOf(input.key, job.TransformInput.DataSource.S3DataSource.S3Uri, job.TransformOutput.S3OutputPath);
  await writeFileAtomically(localPathOfUri(home, uri), assembleOutput(responses, job.TransformOutput.AssembleWith ?? 'None'));
  crashPoint('transform-written', job.TransformJobName);
  return uri;
}
