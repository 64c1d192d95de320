import * as path from 'node:path';
import { z } from 'zod';
import type { EventEnvelope } from '../../../contracts/envelope';
import { InvalidEventPatternError, compilePattern, patternIndexKeys, type PatternIndexKeys } from '../../../events/pattern';
import { readJsonFile, writeJsonFileAtomic } from './atomic-json-file';
import { busNameOf, deadLetterQueueNameOf, ruleArn } from './bus-arns';
import { BusInvalidEventPatternError, BusLimitExceededError, BusResourceNotFoundError, BusValidationError } from './bus-errors';
import { RuleIndex } from './rule-index';
import { TargetKind, parseTargetArn } from './target-kinds';
import { RuleState, type PutRuleInputSchema, type PutTargetsInputSchema } from './bus-api-schemas';

/** EventBridge's default retry policy: 24 hours, 185 retries. */
export const DEFAULT_RETRY_POLICY = { maximumEventAgeInSeconds: 86400, maximumRetryAttempts: 185 } as const;
const MAX_TARGETS_PER_RULE = 5;

const TargetSchema = z.object({
  id: z.string(),
  arn: z.string(),
  retryPolicy: z.object({ maximumEventAgeInSeconds: z.number(), maximumRetryAttempts: z.number() }),
  deadLetterQueue: z.string().optional(),
});
const RuleSchema = z.object({
  name: z.string(),
  eventBusName: z.string(),
  eventPattern: z.string(),
  state: z.enum([RuleState.Enabled, RuleState.Disabled]),
  description: z.string().optional(),
  targets: z.array(TargetSchema),
});
const RulesFileSchema = z.object({ version: z.literal(1), rules: z.array(RuleSchema) });

/** A rule target as the bus keeps it: retry policy resolved, DLQ by name. */
export type BusTarget = z.infer<typeof TargetSchema>;
/** A rule as persisted in `<home>/bus/rules.json`. */
export type BusRule = z.infer<typeof RuleSchema>;

/** A rule with its ARN, parsed pattern and compiled matcher. */
export interface CompiledRule extends BusRule {
  readonly arn: string;
  readonly indexKeys: PatternIndexKeys;
  readonly matches: (event: EventEnvelope) => boolean;
}

/** Compiles an EventBridge pattern, translating the engine's errors to `InvalidEventPatternException`. */
export function compileRulePattern(text: string): { indexKeys: PatternIndexKeys; matches: (event: EventEnvelope) => boolean } {
  let pattern: unknown;
  try {
    pattern = JSON.parse(text);
  } catch (error) {
    throw new BusInvalidEventPatternError(error instanceof Error ? error.message : String(error), { cause: error });
  }
  if (typeof pattern !== 'object' || pattern === null || Array.isArray(pattern)) throw new BusInvalidEventPatternError('Filter is not an object');
  try {
    return { matches: compilePattern(pattern), indexKeys: patternIndexKeys(pattern) };
  } catch (error) {
    if (error instanceof InvalidEventPatternError) throw new BusInvalidEventPatternError(error.message.replace(/^Event pattern is not valid\. Reason: /, ''), { cause: error });
    throw error;
  }
}

/**
 * The rules and targets of the local buses, persisted in `<home>/bus/rules.json` (rewritten
 * atomically on every change) and indexed for dispatch.
 */
export class RuleRegistry {
  private rules = new Map<string, CompiledRule>();
  private byArn = new Map<string, CompiledRule>();
  private index = new RuleIndex<CompiledRule>([]);
  private writes: Promise<void> = Promise.resolve();

  private constructor(
    private readonly file: string,
    private readonly buses: ReadonlySet<string>,
  ) {}

  /** Loads the registry of `busDir`; `buses` are the bus names that exist. */
  static async open(busDir: string, buses: ReadonlySet<string>): Promise<RuleRegistry> {
    const registry = new RuleRegistry(path.join(busDir, 'rules.json'), buses);
    const raw = await readJsonFile(registry.file);
    if (raw !== undefined) for (const rule of RulesFileSchema.parse(raw).rules) registry.install(rule);
    registry.reindex();
    return registry;
  }

  /** Throws `ResourceNotFoundException` unless `bus` exists. */
  requireBus(nameOrArn: string | undefined): string {
    const bus = busNameOf(nameOrArn);
    if (!this.buses.has(bus)) throw new BusResourceNotFoundError(`Event bus ${bus} does not exist.`);
    return bus;
  }

  /** Whether the bus exists. */
  hasBus(bus: string): boolean {
    return this.buses.has(bus);
  }

  /** Creates or updates a rule (keeping its targets); returns its ARN. */
  async putRule(input: z.output<typeof PutRuleInputSchema>): Promise<string> {
    const bus = this.requireBus(input.EventBusName);
    if (input.ScheduleExpression !== undefined) throw new BusValidationError('ScheduleExpression is not supported by the local bus.');
    if (input.EventPattern === undefined) throw new BusValidationError('Parameter(s) EventPattern must be specified.');
    compileRulePattern(input.EventPattern);
    const existing = this.rules.get(`${bus}/${input.Name}`);
    const rule: BusRule = {
      name: input.Name,
      eventBusName: bus,
      eventPattern: input.EventPattern,
      state: input.State ?? existing?.state ?? RuleState.Enabled,
      description: input.Description ?? existing?.description,
      targets: existing?.targets ?? [],
    };
    await this.commit(rule);
    return ruleArn(bus, input.Name);
  }

  /** Adds or replaces targets of a rule, validating each target ARN. */
  async putTargets(input: z.output<typeof PutTargetsInputSchema>): Promise<void> {
    const rule = this.require(input.Rule, input.EventBusName);
    const targets = new Map(rule.targets.map((target) => [target.id, target]));
    for (const target of input.Targets) {
      const address = parseTargetArn(target.Arn);
      if (address.kind === 'invalid') throw new BusValidationError(`Parameter Targets[${target.Id}].Arn is not valid. Reason: ${address.reason}.`);
      if (address.kind === TargetKind.Bus && !this.buses.has(address.bus)) throw new BusResourceNotFoundError(`Event bus ${address.bus} does not exist.`);
      targets.set(target.Id, {
        id: target.Id,
        arn: target.Arn,
        retryPolicy: {
          maximumEventAgeInSeconds: target.RetryPolicy?.MaximumEventAgeInSeconds ?? DEFAULT_RETRY_POLICY.maximumEventAgeInSeconds,
          maximumRetryAttempts: target.RetryPolicy?.MaximumRetryAttempts ?? DEFAULT_RETRY_POLICY.maximumRetryAttempts,
        },
        deadLetterQueue: target.DeadLetterConfig?.Arn === undefined ? undefined : deadLetterQueueNameOf(target.DeadLetterConfig.Arn),
      });
    }
    if (targets.size > MAX_TARGETS_PER_RULE) throw new BusLimitExceededError(`The requested resource exceeds the maximum number allowed (${MAX_TARGETS_PER_RULE} targets per rule).`);
    await this.commit({ ...rule, targets: [...targets.values()] });
  }

  /** Removes targets by id; unknown ids are reported as failed entries, as AWS does. */
  async removeTargets(ruleName: string, busName: string | undefined, ids: readonly string[]): Promise<string[]> {
    const rule = this.require(ruleName, busName);
    const missing = ids.filter((id) => !rule.targets.some((target) => target.id === id));
    await this.commit({ ...rule, targets: rule.targets.filter((target) => !ids.includes(target.id)) });
    return missing;
  }

  /** Deletes a rule; refuses while it has targets unless `force`. Deleting an unknown rule is a no-op. */
  async deleteRule(name: string, busName: string | undefined, force: boolean): Promise<void> {
    const bus = this.requireBus(busName);
    const rule = this.rules.get(`${bus}/${name}`);
    if (rule === undefined) return;
    if (rule.targets.length > 0 && !force) throw new BusValidationError("Rule can't be deleted since it has targets.");
    this.rules.delete(`${bus}/${name}`);
    await this.persist();
  }

  /** The rule `name` on a bus, or `ResourceNotFoundException`. */
  require(name: string, busName: string | undefined): CompiledRule {
    const bus = this.requireBus(busName);
    const rule = this.rules.get(`${bus}/${name}`);
    if (rule === undefined) throw new BusResourceNotFoundError(`Rule ${name} does not exist on EventBus ${bus}.`);
    return rule;
  }

  /** Rules of a bus whose name starts with `prefix`, sorted by name. */
  list(bus: string, prefix = ''): CompiledRule[] {
    return [...this.rules.values()].filter((rule) => rule.eventBusName === bus && rule.name.startsWith(prefix)).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** A rule by ARN. */
  byRuleArn(arn: string): CompiledRule | undefined {
    return this.byArn.get(arn);
  }

  /** A target of a rule, by rule ARN and target id; undefined once either was removed. */
  target(arn: string, targetId: string): BusTarget | undefined {
    return this.byArn.get(arn)?.targets.find((target) => target.id === targetId);
  }

  /** The enabled rules of `bus` matching `event`, limited to `filterArns` when given. */
  match(bus: string, event: EventEnvelope, filterArns?: ReadonlySet<string>): CompiledRule[] {
    const rules = this.index.match(bus, event).filter((rule) => rule.state === RuleState.Enabled);
    return filterArns === undefined ? rules : rules.filter((rule) => filterArns.has(rule.arn));
  }

  private install(rule: BusRule): void {
    const compiled = compileRulePattern(rule.eventPattern);
    this.rules.set(`${rule.eventBusName}/${rule.name}`, { ...rule, arn: ruleArn(rule.eventBusName, rule.name), ...compiled });
  }

  private reindex(): void {
    this.byArn = new Map([...this.rules.values()].map((rule) => [rule.arn, rule]));
    this.index = new RuleIndex(this.rules.values());
  }

  private async commit(rule: BusRule): Promise<void> {
    this.install(rule);
    await this.persist();
  }

  private persist(): Promise<void> {
    this.reindex();
    const write = this.writes.catch(() => undefined).then(() => writeJsonFileAtomic(this.file, this.snapshot()));
    this.writes = write;
    return write;
  }

  private snapshot(): unknown {
    const rules: BusRule[] = [...this.rules.values()].map((rule) => ({
      name: rule.name,
      eventBusName: rule.eventBusName,
      eventPattern: rule.eventPattern,
      state: rule.state,
      description: rule.description,
      targets: rule.targets,
    }));
    return { version: 1, rules };
  }
}
