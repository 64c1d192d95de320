import { AthenaClient } from '@aws-sdk/client-athena';
import type { StageDeps } from '../../../../handlers/stage-deps';
import { AthenaQueryEngine } from '../../adapters/athena-query-engine';
import { awsTopology } from '../aws-topology';
import type { RuntimeEnv } from '../runtime-env';

/** A new Athena client (region and credentials from the Lambda environment). */
export const client = (): AthenaClient => new AthenaClient({});

/** Athena in our two workgroups (refine, read). */
export function ports(athena: AthenaClient, env: RuntimeEnv): Pick<StageDeps, 'query'> {
  const topology = awsTopology(env);
  return { query: new AthenaQueryEngine(athena, { workGroups: [topology.names.athenaWorkgroup, topology.readWorkgroup] }) };
}
