import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { ConfigurationError } from '../../contracts/configuration-error';
import { ContractViolationError } from '../../contracts/contract-violation-error';
import { PipelineError } from '../../contracts/pipeline-error';
import { PublisherError } from '../../events/publisher/errors';
import { ForecastModelError } from '../../handlers/forecast-model/forecast-model-error';
import { AlertDeliveryError } from '../../handlers/ports/alert-sink-errors';
import { BatchTransformUnavailableError } from '../../handlers/ports/batch-transform-errors';
import { CodedError } from '../../handlers/ports/coded-error';
import { CrawlerRunningError } from '../../handlers/ports/crawler';
import { IdempotencyKeyError } from '../../handlers/ports/idempotency-errors';
import { NoSuchKeyError } from '../../handlers/ports/object-store-errors';
import { QueryTimeoutError } from '../../handlers/ports/query-engine';
import { RunStoreUnavailableError } from '../../handlers/ports/run-store-errors';
import { SqlBindError } from '../../handlers/sql/bind-sql';
import { DependencyError, PoisonInputError } from '../../handlers/stage-kit/stage-error';
import { GlueCatalogError } from '../../infra/aws/adapters/glue-errors';
import { BusError } from '../../infra/emulators/bus/bus-errors';
import { EntityNotFoundError } from '../../infra/emulators/catalog/catalog-errors';
import { InvalidObjectKeyError } from '../../infra/local/lake-paths';
import { AthenaErrorName, AthenaQueryError } from '../../infra/emulators/query/athena-query-error';

const ROOT = path.join(__dirname, '..', '..');
const LAYERS = ['contracts', 'events', 'handlers', 'infra'];

/** Every TypeScript source file of the layers (no tests, no declarations). */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'cdk.out' ? [] : sources(full);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** The classes of a file that declare `retryable` themselves: a property, or a constructor parameter property. */
function classesDeclaringRetryable(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isClassLike(node)) {
      const declares = node.members.some(
        (m) =>
          (ts.isPropertyDeclaration(m) && m.name.getText(source) === 'retryable') ||
          (ts.isConstructorDeclaration(m) && m.parameters.some((p) => p.name.getText(source) === 'retryable' && (ts.getCombinedModifierFlags(p) & ts.ModifierFlags.ParameterPropertyModifier) !== 0)),
      );
      if (declares) found.push(`${path.relative(ROOT, file)}: ${node.name?.getText(source) ?? '(anonymous class)'}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('PipelineError: the one error root', () => {
  it('carries retryable, the class name and the cause', () => {
    const cause = new Error('socket hang up');
    const err = new PipelineError('store down', { retryable: true, cause });
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ name: 'PipelineError', message: 'store down', retryable: true, cause });
    expect('cause' in new PipelineError('x', { retryable: false })).toBe(false);
  });

  it('is the root of every error family that says whether a retry may help', () => {
    const errors: ReadonlyArray<readonly [PipelineError, boolean]> = [
      [new PublisherError('x', { retryable: true }), true],
      [new IdempotencyKeyError('x'), false],
      [new RunStoreUnavailableError('x'), true],
      [new CodedError('x', { code: 'C', retryable: false }), false],
      [new NoSuchKeyError('b', 'k'), false],
      [new BatchTransformUnavailableError('x', 'ThrottlingException'), true],
      [new AlertDeliveryError('x', { sink: 'file', retryable: true }), true],
      [new PoisonInputError('x'), false],
      [new DependencyError('x', { retryable: true }), true],
      [new ContractViolationError('event', ['a: expected string']), false],
      [new ConfigurationError('sql/t/refine.sql', 3, 'x'), false],
      [new SqlBindError('x'), false],
      [new AthenaQueryError(AthenaErrorName.ColumnNotFound, 'x'), false],
      [new AthenaQueryError(AthenaErrorName.InternalError, 'x'), true],
      [new QueryTimeoutError('q', 'RUNNING', 1), true],
      [new CrawlerRunningError('c'), true],
      [new ForecastModelError('x', false), false],
      [new GlueCatalogError('x', { code: 'ThrottlingException', retryable: true }), true],
      [new EntityNotFoundError('x'), false],
      [new BusError('InternalException', 'x', { retryable: true }), true],
      [new InvalidObjectKeyError('x'), false],
    ];
    for (const [err, retryable] of errors) {
      expect(err).toBeInstanceOf(PipelineError);
      expect([err.name, err.retryable]).toEqual([err.name, retryable]);
    }
  });

  it('is the only class that declares retryable: every other error inherits it', () => {
    const declaring = LAYERS.flatMap((layer) => sources(path.join(ROOT, layer))).flatMap(classesDeclaringRetryable);
    expect(declaring).toEqual(['contracts/pipeline-error.ts: PipelineError']);
  });
});
