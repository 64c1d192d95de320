import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import * as path from 'node:path';

/** The region and dummy credentials every SDK client pointed at moto uses (moto accepts any credentials). */
export const MOTO_REGION = 'us-east-1';
/** moto's default account, which it puts in every ARN it makes. */
export const MOTO_ACCOUNT = '123456789012';
const CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

/** A running moto server on a loopback port, and what an unmodified SDK client needs to talk to it. */
export interface MotoServer {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  /** The client configuration: endpoint, region and dummy credentials (S3 also needs `forcePathStyle`). */
  readonly clientConfig: { endpoint: string; region: string; credentials: typeof CREDENTIALS };
  /** Forgets every resource of every service (moto's `/moto-api/reset`). */
  reset(): Promise<void>;
  /** Sets one of moto's state transitions (`/moto-api/state-manager/set-transition`), e.g. keep a crawl RUNNING until listed. */
  setTransition(modelName: string, transition: { progression: 'manual'; times: number } | { progression: 'immediate' }): Promise<void>;
  /**
   * Sends one AWS Query-protocol action (form-encoded POST, e.g. IAM's `CreateRole`) for a service this
   * repository has no SDK client of; moto does not check signatures, so a dummy Authorization header
   * naming the service's credential scope routes it. Rejects on a non-2xx answer with moto's body.
   */
  query(service: string, params: Record<string, string>): Promise<string>;
  /** Everything the server printed so far (its log: warnings such as resource types its CloudFormation does not model). */
  output(): string;
  close(): Promise<void>;
}

/**
 * Why the moto suites cannot run here, or undefined when they can: moto is a Python package, and the
 * suites skip (with this reason in their names) only when `python3 -c 'import moto'` fails.
 */
export const motoUnavailable: string | undefined = (() => {
  const probe = spawnSync('python3', ['-c', 'import moto'], { encoding: 'utf8' });
  if (probe.error !== undefined) return `python3 cannot be run (${probe.error.message})`;
  if (probe.status !== 0) return `python3 -c 'import moto' failed: ${probe.stderr.trim().split('\n').pop() ?? ''}`;
  return undefined;
})();

/** POSTs a JSON body to one of moto's own API paths on the endpoint. */
function motoApi(endpoint: string, path: string, body: unknown): Promise<void> {
  return new Promise((resolve, reject) => {
    const payload = Buffer.from(JSON.stringify(body));
    const req = request(`${endpoint}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': payload.length } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode !== undefined && res.statusCode < 300 ? resolve() : reject(new Error(`moto ${path} answered ${String(res.statusCode)}`))));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** moto's server with its departures from AWS's API models corrected (each one named in the file). */
const SERVE = path.join(__dirname, 'serve.py');

/** POSTs a Query-protocol action to moto, signed with a dummy scope that names the service. */
function queryAction(endpoint: string, service: string, params: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const payload = Buffer.from(new URLSearchParams(params).toString());
    const authorization = `AWS4-HMAC-SHA256 Credential=${CREDENTIALS.accessKeyId}/20260101/${MOTO_REGION}/${service}/aws4_request, SignedHeaders=host, Signature=0`;
    const headers = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', 'content-length': payload.length, authorization };
    const req = request(`${endpoint}/`, { method: 'POST', headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      res.on('end', () => (res.statusCode !== undefined && res.statusCode < 300 ? resolve(body) : reject(new Error(`moto ${service} ${params.Action ?? ''} answered ${String(res.statusCode)}: ${body}`))));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * Starts moto's server (`serve.py`, which is `python3 -m moto.server` plus the corrections) on a free loopback port (port 0: the server picks one and prints it),
 * resolves once it has printed its address, and stops it on close (and when this process exits). One
 * server per test file costs about half a second; the services load lazily on their first request.
 */
export async function startMoto(): Promise<MotoServer> {
  const child: ChildProcess = spawn('python3', [SERVE, '-H', '127.0.0.1', '-p', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const kill = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', kill);
  let output = '';
  const endpoint = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /Running on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1] !== undefined) resolve(match[1]);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`moto server exited (${String(code)}) before it listened: ${output.slice(-500)}`)));
  });
  return {
    endpoint,
    clientConfig: { endpoint, region: MOTO_REGION, credentials: CREDENTIALS },
    reset: () => motoApi(endpoint, '/moto-api/reset', {}),
    query: (service, params) => queryAction(endpoint, service, params),
    output: () => output,
    setTransition: (model_name, transition) => motoApi(endpoint, '/moto-api/state-manager/set-transition', { model_name, transition }),
    close: async () => {
      process.removeListener('exit', kill);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * Registers a describe block whose tests run against one moto server started for it (and stopped after
 * it); `moto()` gives the server inside the tests. Without moto the block is skipped, its name saying why.
 */
export function describeOnMoto(name: string, body: (moto: () => MotoServer) => void): void {
  if (motoUnavailable !== undefined) {
    describe.skip(`${name} (skipped: ${motoUnavailable})`, () => {
      it('needs moto', () => undefined);
    });
    return;
  }
  describe(name, () => {
    let server: MotoServer | undefined;
    beforeAll(async () => {
      server = await startMoto();
    });
    afterAll(async () => server?.close());
    body(() => {
      if (server === undefined) throw new Error('moto server not started (beforeAll failed)');
      return server;
    });
  });
}
