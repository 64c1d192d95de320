import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as eventschemas from 'aws-cdk-lib/aws-eventschemas';
import { Construct } from 'constructs';
import { TRIBUTARY_SOURCE } from '../../../contracts/domain-events';

/**
 * An EventBridge schema registry holding the JSON Schema (draft-04) of every domain event, read from
 * `contracts/json-schema/` — the committed copies generated from the zod contracts — so consumers can
 * download code bindings for exactly the events the pipeline publishes.
 */
export class EventSchemas extends Construct {
  readonly registry: eventschemas.CfnRegistry;
  readonly schemaNames: readonly string[];

  constructor(scope: Construct, id: string, props: { readonly registryName: string; readonly schemaDir: string }) {
    super(scope, id);
    this.registry = new eventschemas.CfnRegistry(this, 'Registry', {
      registryName: props.registryName,
      description: `Domain events of ${TRIBUTARY_SOURCE}, generated from the zod contracts`,
    });
    const names: string[] = [];
    for (const file of readdirSync(props.schemaDir).filter((f) => f.endsWith('.json')).sort()) {
      const detailType = path.basename(file, '.json');
      const schemaName = `${TRIBUTARY_SOURCE}@${detailType}`;
      const schema = new eventschemas.CfnSchema(this, `Schema-${detailType}`, {
        registryName: props.registryName,
        schemaName,
        type: 'JSONSchemaDraft4',
        description: `${TRIBUTARY_SOURCE} ${detailType} event (full envelope)`,
        content: readFileSync(path.join(props.schemaDir, file), 'utf8'),
      });
      schema.addResourceDependency(this.registry);
      names.push(schemaName);
    }
    this.schemaNames = names;
  }
}
