import * as path from 'node:path';
import { z } from 'zod';
import type { EventEnvelope } from '../../../contracts/envelope';
import { InvalidEventPatternError, compilePattern, parsePatternText, patternIndexKeys, type PatternIndexKeys } from '../../../events/pattern';
import { readJsonFile, writeJsonFileAtomic } from './atomic-json-file';
import { busNameOf, deadLetterQueueNameOf, ruleArn } from './bus-arns';
import { BusInvalidEventPatternError, BusLimitExceededError, BusManagedRuleError, BusResourceNotFoundError, BusValidationError } from './bus-errors';
import { validateTargetInput } from './input-transformer';
import { RuleIndex } from './rule-index';
import { parseScheduleExpression } from './schedule-expression';
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
  input: z.string().optional(),
  inputPath: z.string().optional(),
  inputTransformer: z.object({ inputPathsMap: z.record(z.string(), z.string()).optional(), inputTemplate: z.string() }).optional(),
});
const RuleSchema = z.object({
  name: z.string(),
  eventBusName: z.string(),
  eventPattern: z.string().optional(),
  scheduleExpression: z.string().optional(),
  state: z.enum([RuleState.Enabled, RuleState.Disabled]),
  description: z.string().optional(),
  managedBy: z.string().optional(),
  tags: z.record(z.string(), z.string()).optional(),
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

/**
 * Compiles an EventBridge pattern given as JSON text (parsed as EventBridge parses it, so syntax
 * errors read as its own), translating the engine's errors to `InvalidEventPatternException`.
 */
export function compileRulePattern(text: string): { indexKeys: PatternIndexKeys; matches: (event: unknown) => boolean } {
  let pattern: unknown;
  try {
    pattern = parsePatternText(text);
    return { matches: compilePattern(pattern), indexKeys: patternIndexKeys(pattern) };
  } catch (error) {
    if (error instanceof InvalidEventPatternError) throw new BusInvalidEventPatternError(error.reason, { cause: error });
    throw error;
  }
}

/** Options of a PutRule/PutTargets call made by the pipeline itself rather than through the API. */
export interface ManagedOptions {
  /** Marks (or updates) the rule as managed by this principal; only a call naming it may modify the rule. */
  readonly managedBy?: string;
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
    private readonly buses: { has(name: string): boolean },
  ) {}

  /** Loads the registry of `busDir`; `buses` says which bus names exist. */
  static async open(busDir: string, buses: { has(name: string): boolean }): Promise<RuleRegistry> {
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

  /**
   * Creates or updates a rule (keeping its targets and tags); returns its ARN. A rule needs an
   * EventPattern, a ScheduleExpression (default bus only) or both. A managed rule can only be
   * changed by a call naming its manager.
   */
  async putRule(input: z.output<typeof PutRuleInputSchema>, options: ManagedOptions = {}): Promise<string> {
    const bus = this.requireBus(input.EventBusName);
    if (input.ScheduleExpression !== undefined) {
      if (parseScheduleExpression(input.ScheduleExpression) === undefined) throw new BusValidationError('Parameter ScheduleExpression is not valid.');
      if (bus !== 'default') throw new BusValidationError('ScheduleExpression is supported only on the default event bus.');
    }
    if (input.EventPattern === undefined && input.ScheduleExpression === undefined) throw new BusValidationError('Parameter(s) EventPattern or ScheduleExpression must be specified.');
    if (input.EventPattern !== undefined) compileRulePattern(input.EventPattern);
    const existing = this.rules.get(`${bus}/${input.Name}`);
    if (existing !== undefined) this.requireUnmanaged(existing, options);
    const rule: BusRule = {
      name: input.Name,
      eventBusName: bus,
      eventPattern: input.EventPattern,
      scheduleExpression: input.ScheduleExpression,
      state: input.State ?? existing?.state ?? RuleState.Enabled,
      description: input.Description ?? existing?.description,
      managedBy: options.managedBy ?? existing?.managedBy,
      tags: input.Tags === undefined ? existing?.tags : { ...existing?.tags, ...Object.fromEntries(input.Tags.map((tag) => [tag.Key, tag.Value])) },
      targets: existing?.targets ?? [],
    };
    await this.commit(rule);
    return ruleArn(bus, input.Name);
  }

  /** EnableRule / DisableRule. */
  async setState(name: string, busName: string | undefined, state: BusRule['state']): Promise<void> {
    const rule = this.require(name, busName);
    this.requireUnmanaged(rule, {});
    await this.commit({ ...rule, state });
  }

  /** Replaces a rule's tags (TagResource / UntagResource). */
  async setTags(name: string, busName: string | undefined, tags: Readonly<Record<string, string>>): Promise<void> {
    const rule = this.require(name, busName);
    this.requireUnmanaged(rule, {});
    await this.commit({ ...rule, tags: { ...tags } });
  }

  /** Adds or replaces targets of a rule, validating each target ARN and input option. */
  async putTargets(input: z.output<typeof PutTargetsInputSchema>, options: ManagedOptions = {}): Promise<void> {
    const rule = this.require(input.Rule, input.EventBusName);
    this.requireUnmanaged(rule, options);
    const targets = new Map(rule.targets.map((target) => [target.id, target]));
    for (const target of input.Targets) {
      const address = parseTargetArn(target.Arn);
      if (address.kind === 'invalid') throw new BusValidationError(`Parameter Targets[${target.Id}].Arn is not valid. Reason: ${address.reason}.`);
      if (address.kind === TargetKind.Bus && !this.buses.has(address.bus)) throw new BusResourceNotFoundError(`Event bus ${address.bus} does not exist.`);
      const transformer = target.InputTransformer === undefined ? undefined : { inputPathsMap: target.InputTransformer.InputPathsMap, inputTemplate: target.InputTransformer.InputTemplate };
      const shaping = { input: target.Input, inputPath: target.InputPath, inputTransformer: transformer };
      validateTargetInput(target.Id, shaping);
      targets.set(target.Id, {
        id: target.Id,
        arn: target.Arn,
        retryPolicy: {
          maximumEventAgeInSeconds: target.RetryPolicy?.MaximumEventAgeInSeconds ?? DEFAULT_RETRY_POLICY.maximumEventAgeInSeconds,
          maximumRetryAttempts: target.RetryPolicy?.MaximumRetryAttempts ?? DEFAULT_RETRY_POLICY.maximumRetryAttempts,
        },
        deadLetterQueue: target.DeadLetterConfig?.Arn === undefined ? undefined : deadLetterQueueNameOf(target.DeadLetterConfig.Arn),
        ...shaping,
      });
    }
    if (targets.size > MAX_TARGETS_PER_RULE) throw new BusLimitExceededError(`The requested resource exceeds the maximum number allowed (${MAX_TARGETS_PER_RULE} targets per rule).`);
    await this.commit({ ...rule, targets: [...targets.values()] });
  }

  /** Removes targets by id (a managed rule's only with `force`); unknown ids are reported as failed entries, as AWS does. */
  async removeTargets(ruleName: string, busName: string | undefined, ids: readonly string[], force = false): Promise<string[]> {
    const rule = this.require(ruleName, busName);
    if (!force) this.requireUnmanaged(rule, {}, true);
    const missing = ids.filter((id) => !rule.targets.some((target) => target.id === id));
    await this.commit({ ...rule, targets: rule.targets.filter((target) => !ids.includes(target.id)) });
    return missing;
  }

  /**
   * Deletes a rule; refuses while it has targets unless `force`, and refuses a managed rule unless
   * `force` (as EventBridge does). Deleting an unknown rule is a no-op.
   */
  async deleteRule(name: string, busName: string | undefined, force: boolean): Promise<void> {
    const bus = this.requireBus(busName);
    const rule = this.rules.get(`${bus}/${name}`);
    if (rule === undefined) return;
    if (!force) this.requireUnmanaged(rule, {}, true);
    if (rule.targets.length > 0 && !force) throw new BusValidationError("Rule can't be deleted since it has targets.");
    this.rules.delete(`${bus}/${name}`);
    await this.persist();
  }

  /** Deletes every rule of a bus (DeleteEventBus). */
  async deleteRulesOf(bus: string): Promise<void> {
    for (const rule of this.list(bus)) this.rules.delete(`${bus}/${rule.name}`);
    await this.persist();
  }

  /** Rules with a ScheduleExpression, enabled or not. */
  scheduled(): CompiledRule[] {
    return [...this.rules.values()].filter((rule) => rule.scheduleExpression !== undefined);
  }

  /** The rule `name` on a bus, or `ResourceNotFoundException`. */
  require(name: string, busName: string | undefined): CompiledRule {
    const bus = this.requireBus(busName);
    const rule = this.rules.get(`${bus}/${name}`);
    if (rule === undefined) throw new BusResourceNotFoundError(`Rule ${name} does not exist on EventBus ${bus}.`);
    return rule;
  }

  /** Rules of a bus whose name starts with `prefix`, sorted by name (code unit order, as paging needs). */
  list(bus: string, prefix = ''): CompiledRule[] {
    return [...this.rules.values()].filter((rule) => rule.eventBusName === bus && rule.name.startsWith(prefix)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
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

  private requireUnmanaged(rule: BusRule, options: ManagedOptions, forceable = false): void {
    if (rule.managedBy === undefined || options.managedBy === rule.managedBy) return;
    throw new BusManagedRuleError(forceable ? `${rule.name} is a managed rule. Set 'force' parameter to true to override.` : `${rule.name} is a managed rule and cannot be modified.`);
  }

  private install(rule: BusRule): void {
    const compiled = rule.eventPattern === undefined ? { matches: () => false, indexKeys: {} } : compileRulePattern(rule.eventPattern);
    this.rules.set(`${rule.eventBusName}/${rule.name}`, { ...rule, arn: ruleArn(rule.eventBusName, rule.name), ...compiled });
  }

  private reindex(): void {
    this.byArn = new Map([...this.rules.values()].map((rule) => [rule.arn, rule]));
    this.index = new RuleIndex([...this.rules.values()].filter((rule) => rule.eventPattern !== undefined));
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
      scheduleExpression: rule.scheduleExpression,
      state: rule.state,
      description: rule.description,
      managedBy: rule.managedBy,
      tags: rule.tags,
      targets: rule.targets,
    }));
    return { version: 1, rules };
  }
}
