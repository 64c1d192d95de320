import type { AvailablePorts } from '../../../handlers/needs/pick-deps';
import type { StageDeps } from '../../../handlers/stage-deps';
import type { Needs } from '../../../handlers/stage-needs';
import { FolderDatasetStore } from '../../datasets/folder-dataset-store';
import { awsTopology } from './aws-topology';
import type { RuntimeEnv } from './runtime-env';

/** The ports an AWS service's wiring module builds (a whole service at once: its client is shared). */
type ServicePorts = Partial<Omit<StageDeps, 'datasets' | 'topology' | 'clock'>>;

/**
 * Per AWS service: whether a stage's needs use it, and the import of its wiring module (and with it
 * its SDK client package). The imports are dynamic, so a stage whose needs never name Glue never
 * loads `@aws-sdk/client-glue`, in the Lambda bundle or anywhere else.
 */
const SERVICES: readonly { readonly used: (needs: Needs) => boolean; readonly build: (env: RuntimeEnv) => Promise<ServicePorts> }[] = [
  { used: (n) => n.zones !== undefined, build: async (env) => import('./services/s3').then((m) => m.ports(m.client(), env)) },
  { used: (n) => n.catalog !== undefined || n.crawler !== undefined, build: async () => import('./services/glue').then((m) => m.ports(m.client())) },
  { used: (n) => n.query !== undefined, build: async (env) => import('./services/athena').then((m) => m.ports(m.client(), env)) },
  { used: (n) => n.transform !== undefined, build: async (env) => import('./services/sagemaker').then((m) => m.ports(m.client(), env)) },
  { used: (n) => n.runs !== undefined || n.jobs !== undefined || n.idempotency !== undefined, build: async (env) => import('./services/dynamodb').then((m) => m.ports(m.client(), env)) },
  { used: (n) => n.publisher !== undefined, build: async (env) => import('./services/eventbridge').then((m) => m.ports(m.client(), env)) },
  { used: (n) => n.alerts !== undefined, build: async (env) => import('./services/sns').then((m) => m.ports(m.client(), env)) },
  // No DuckDB in Lambda: landed files are read in pure JavaScript, to the same contract.
  { used: (n) => n.inspector !== undefined, build: async () => import('../inspect/js-raw-file-inspector').then((m) => ({ inspector: new m.JsRawFileInspector() })) },
];

/**
 * The Lambda composition root: the ports of the services a stage's declared needs use, each built
 * once per container with its SDK client, and nothing else. The stage's runner then hands it
 * exactly its declared ports.
 */
export async function awsStagePorts(needs: Needs, env: RuntimeEnv, sqlDir?: string): Promise<AvailablePorts> {
  const built = await Promise.all(SERVICES.filter((s) => s.used(needs)).map((s) => s.build(env)));
  const always: AvailablePorts = { datasets: new FolderDatasetStore(sqlDir), topology: awsTopology(env), clock: () => new Date() };
  return built.reduce<AvailablePorts>((ports, service) => ({ ...ports, ...service }), always);
}
