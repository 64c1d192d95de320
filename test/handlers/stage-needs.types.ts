/**
 * Type-level checks of `DepsOf`: compiled by `npm run typecheck` and by stage-needs.test.ts. Each
 * `@ts-expect-error` marks a use of an undeclared port; should that use ever compile (an undeclared
 * port became usable), the directive itself is the error.
 */
import { needs as forecastNeeds } from '../../handlers/forecast';
import { needs as alertNeeds } from '../../handlers/alert';
import { declareNeeds, type DepsOf } from '../../handlers/stage-needs';

export const needs = declareNeeds({ query: 'read', zones: { raw: 'read', refined: 'write' }, catalog: 'read', runs: true });

export function declaredPortsAreUsable(deps: DepsOf<typeof needs>): unknown[] {
  return [deps.query.startQueryExecution, deps.objects.getObject, deps.catalog.getTable, deps.runs.getRun, deps.datasets, deps.topology, deps.clock];
}

export function undeclaredPortsDoNotCompile(deps: DepsOf<typeof needs>): unknown[] {
  return [
    // @ts-expect-error the crawler was not declared
    deps.crawler,
    // @ts-expect-error the transform was not declared
    deps.transform,
    // @ts-expect-error the publisher was not declared
    deps.publisher,
    // @ts-expect-error the job store was not declared
    deps.jobs,
    // @ts-expect-error catalog: 'read' gives no write call
    deps.catalog.batchCreatePartition,
  ];
}

export function realStagesAreHeldToTheirDeclaration(forecast: DepsOf<typeof forecastNeeds>, alert: DepsOf<typeof alertNeeds>): unknown[] {
  return [
    forecast.transform.createTransformJob,
    // @ts-expect-error the forecast stage declared no crawler
    forecast.crawler,
    // @ts-expect-error the forecast stage reads the catalog only
    forecast.catalog.createTable,
    alert.alerts.send,
    // @ts-expect-error the alert stage declared no object store
    alert.objects,
  ];
}

export function aStageWithNoZonesHasNoObjectStore(deps: DepsOf<{ readonly runs: true }>): unknown {
  // @ts-expect-error no zones declared, so no object store
  return deps.objects;
}
