import * as http from 'node:http';
import { ForecastModelError, InvalidInferenceInputError } from '../../handlers/forecast-model/forecast-model-error';
import { createInferenceFunction } from '../../handlers/forecast-model/inference-function';
import type { ForecastModelArtifact } from '../../handlers/forecast-model/model-artifact';
import type { InferenceFunction } from '../../handlers/ports/batch-transform';

/** SageMaker's largest mini-batch (MaxPayloadInMB ≤ 100); a bigger body gets 413. */
const MAX_BODY_BYTES = 100 * 1024 * 1024;

/**
 * The bring-your-own SageMaker inference container as a Node HTTP server: `GET /ping` answers 200
 * once the model is loaded, `POST /invocations` runs the forecast inference function of any dataset — the one the
 * local batch-transform runner calls (JSON lines in → JSON lines out, one line per line, same order;
 * or `application/json`) — and `GET /execution-parameters` suggests MultiRecord mini-batches. Bad
 * input is a 400 naming the line; the server never exits on it.
 */
export function createInferenceServer(options: { readonly artifact: ForecastModelArtifact | undefined }): http.Server {
  const infer = createInferenceFunction(options.artifact);
  return http.createServer((request, response) => {
    handle(infer, request, response).catch((error: unknown) => {
      const status = error instanceof InvalidInferenceInputError ? 400 : error instanceof BodyTooLargeError ? 413 : 500;
      send(response, status, 'text/plain', `${error instanceof Error ? error.message : String(error)}\n`);
    });
  });
}

async function handle(infer: InferenceFunction, request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
  const route = `${request.method ?? ''} ${(request.url ?? '').split('?')[0] ?? ''}`;
  if (route === 'GET /ping') return send(response, 200, 'text/plain', '');
  if (route === 'GET /execution-parameters') {
    return send(response, 200, 'application/json', JSON.stringify({ MaxConcurrentTransforms: 1, BatchStrategy: 'MULTI_RECORD', MaxPayloadInMB: 6 }));
  }
  if (route !== 'POST /invocations') return send(response, 404, 'text/plain', `no route ${route}\n`);
  const contentType = request.headers['content-type'] ?? '';
  const output = await infer(await readBody(request), contentType);
  const json = contentType.split(';')[0]?.trim().toLowerCase() === 'application/json';
  send(response, 200, json ? 'application/json' : 'application/jsonlines', output);
}

class BodyTooLargeError extends ForecastModelError {
  constructor() {
    super(`request body is larger than ${MAX_BODY_BYTES} bytes`, false);
  }
}

async function readBody(request: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLargeError();
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(response: http.ServerResponse, status: number, type: string, body: string): void {
  response.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  response.end(body);
}
