import type { ArchiveRegistry } from './archive-registry';
import { LOCAL_ACCOUNT } from './bus-arns';
import { BusValidationError } from './bus-errors';
import { BusArchiveApi } from './bus-archive-api';
import type { EventBusRegistry } from './event-bus-registry';
import { page } from './paging';
import {
  ListRulesInputSchema,
  ListTargetsByRuleInputSchema,
  PutRuleInputSchema,
  PutTargetsInputSchema,
  RemoveTargetsInputSchema,
  RuleRefInputSchema,
  RuleState,
  RuleStateInputSchema,
  type ListRulesInput,
  type ListTargetsByRuleInput,
  type PutRuleInput,
  type PutTargetsInput,
  type RemoveTargetsInput,
  type RuleRefInput,
  type RuleStateInput,
} from './bus-api-schemas';
import type { DeadLetterQueues } from './dead-letter-queues';
import type { DeadLetterMessage } from './log-records';
import { parseInput } from './parse-input';
import type { BusTarget, CompiledRule, RuleRegistry } from './rule-registry';

function describeRuleOf(rule: CompiledRule) {
  return {
    Name: rule.name,
    Arn: rule.arn,
    EventPattern: rule.eventPattern,
    ScheduleExpression: rule.scheduleExpression,
    State: rule.state,
    Description: rule.description,
    ManagedBy: rule.managedBy,
    EventBusName: rule.eventBusName,
  };
}

function describeTargetOf(target: BusTarget) {
  const transformer = target.inputTransformer;
  return {
    Id: target.id,
    Arn: target.arn,
    RetryPolicy: { MaximumRetryAttempts: target.retryPolicy.maximumRetryAttempts, MaximumEventAgeInSeconds: target.retryPolicy.maximumEventAgeInSeconds },
    DeadLetterConfig: target.deadLetterQueue === undefined ? undefined : { Arn: `arn:aws:sqs:us-east-1:${LOCAL_ACCOUNT}:${target.deadLetterQueue}` },
    Input: target.input,
    InputPath: target.inputPath,
    InputTransformer: transformer === undefined ? undefined : { InputPathsMap: transformer.inputPathsMap, InputTemplate: transformer.inputTemplate },
  };
}

/**
 * The EventBridge management operations of the local bus on rules and targets (archives and replays
 * in {@link BusArchiveApi}, buses and tags in {@link BusResourceApi}) plus DLQ inspection, taking and returning EventBridge's request
 * and response shapes so the JSON endpoint is a thin translation. Every input is validated as AWS
 * does and errors are `BusError`s. List operations page with Limit and NextToken.
 */
export abstract class BusManagementApi extends BusArchiveApi {
  protected constructor(
    buses: EventBusRegistry,
    rules: RuleRegistry,
    archives: ArchiveRegistry,
    protected readonly deadLetters: DeadLetterQueues,
    clock: () => Date,
  ) {
    super(buses, rules, archives, clock);
  }

  /**
   * PutRule: creates or updates a rule; its targets are kept. `managedBy` is for the pipeline's own
   * rules: it marks them managed, so API callers cannot change or delete them (ManagedRuleException).
   */
  async putRule(input: PutRuleInput, options: { readonly managedBy?: string } = {}): Promise<{ RuleArn: string }> {
    return { RuleArn: await this.rules.putRule(parseInput(PutRuleInputSchema, input), options) };
  }

  /** PutTargets: adds or replaces targets of a rule (`managedBy` as for {@link putRule}). */
  async putTargets(input: PutTargetsInput, options: { readonly managedBy?: string } = {}): Promise<{ FailedEntryCount: number; FailedEntries: never[] }> {
    await this.rules.putTargets(parseInput(PutTargetsInputSchema, input), options);
    return { FailedEntryCount: 0, FailedEntries: [] };
  }

  /** EnableRule. */
  async enableRule(input: RuleStateInput): Promise<Record<string, never>> {
    const request = parseInput(RuleStateInputSchema, input);
    await this.rules.setState(request.Name, request.EventBusName, RuleState.Enabled);
    return {};
  }

  /** DisableRule: the rule stops matching (and firing, for a schedule) until enabled again. */
  async disableRule(input: RuleStateInput): Promise<Record<string, never>> {
    const request = parseInput(RuleStateInputSchema, input);
    await this.rules.setState(request.Name, request.EventBusName, RuleState.Disabled);
    return {};
  }

  /** RemoveTargets: unknown ids come back as failed entries. Pending deliveries to removed targets are dropped. */
  async removeTargets(input: RemoveTargetsInput): Promise<{ FailedEntryCount: number; FailedEntries: Array<{ TargetId: string; ErrorCode: string; ErrorMessage: string }> }> {
    const request = parseInput(RemoveTargetsInputSchema, input);
    const missing = await this.rules.removeTargets(request.Rule, request.EventBusName, request.Ids, request.Force ?? false);
    const FailedEntries = missing.map((id) => ({ TargetId: id, ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Target ${id} does not exist on rule ${request.Rule}.` }));
    return { FailedEntryCount: FailedEntries.length, FailedEntries };
  }

  /** DeleteRule: refuses while the rule has targets (unless Force). */
  async deleteRule(input: RuleRefInput): Promise<Record<string, never>> {
    const request = parseInput(RuleRefInputSchema, input);
    await this.rules.deleteRule(this.ruleName(request), request.EventBusName, request.Force ?? false);
    return {};
  }

  /** DescribeRule. */
  async describeRule(input: RuleRefInput): Promise<ReturnType<typeof describeRuleOf> & { CreatedBy: string }> {
    const request = parseInput(RuleRefInputSchema, input);
    return { ...describeRuleOf(this.rules.require(this.ruleName(request), request.EventBusName)), CreatedBy: LOCAL_ACCOUNT };
  }

  /** ListRules of a bus (default `default`), by name prefix, paged; pipeline rules carry `ManagedBy`. */
  async listRules(input: ListRulesInput = {}): Promise<{ Rules: Array<ReturnType<typeof describeRuleOf>>; NextToken?: string }> {
    const request = parseInput(ListRulesInputSchema, input);
    const rules = this.rules.list(this.rules.requireBus(request.EventBusName), request.NamePrefix);
    const { items, NextToken } = page(rules, (rule) => rule.name, request.Limit, request.NextToken);
    return { Rules: items.map(describeRuleOf), NextToken };
  }

  /** ListTargetsByRule, paged by target id. */
  async listTargetsByRule(input: ListTargetsByRuleInput): Promise<{ Targets: Array<ReturnType<typeof describeTargetOf>>; NextToken?: string }> {
    const request = parseInput(ListTargetsByRuleInputSchema, input);
    const rule = this.rules.require(request.Rule, request.EventBusName);
    const targets = [...rule.targets].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const { items, NextToken } = page(targets, (target) => target.id, request.Limit, request.NextToken);
    return { Targets: items.map(describeTargetOf), NextToken };
  }

  /** The local DLQs and their depths. */
  listDeadLetterQueues(): Array<{ readonly queue: string; readonly depth: number }> {
    return this.deadLetters.depths();
  }

  /** The messages of one DLQ, oldest first. */
  listDeadLetterMessages(queue: string): DeadLetterMessage[] {
    return this.deadLetters.list(queue);
  }

  private ruleName(request: { readonly Name?: string; readonly Rule?: string }): string {
    const name = request.Name ?? request.Rule;
    if (name === undefined) throw new BusValidationError("1 validation error detected: 'Name' is required");
    return name;
  }
}
