import { parseEventText } from '../../../events/pattern';
import { busArn, busNameOf, isBusArn, ruleRefOf } from './bus-arns';
import { BusResourceNotFoundError, BusValidationError } from './bus-errors';
import {
  CreateEventBusInputSchema,
  EventBusRefInputSchema,
  ListEventBusesInputSchema,
  ResourceRefInputSchema,
  TagResourceInputSchema,
  TestEventPatternInputSchema,
  UntagResourceInputSchema,
  type CreateEventBusInput,
  type EventBusRefInput,
  type ListEventBusesInput,
  type ResourceRefInput,
  type TagResourceInput,
  type TestEventPatternInput,
  type UntagResourceInput,
} from './bus-api-schemas';
import type { EventBusRecord, EventBusRegistry } from './event-bus-registry';
import { page } from './paging';
import { parseInput } from './parse-input';
import { compileRulePattern, type RuleRegistry } from './rule-registry';

type Tags = Array<{ Key: string; Value: string }>;

function describeBusOf(bus: EventBusRecord) {
  return { Name: bus.name, Arn: busArn(bus.name), Description: bus.description, CreationTime: new Date(bus.createdAt), LastModifiedTime: new Date(bus.modifiedAt) };
}

function tagList(tags: Readonly<Record<string, string>> | undefined): Tags {
  return Object.entries(tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
}

/** The envelope fields TestEventPattern requires of its Event (values are not type-checked, as on AWS). */
const REQUIRED_EVENT_FIELDS = ['id', 'account', 'source', 'time', 'region', 'detail-type'] as const;

/**
 * The EventBridge operations of the local bus on event buses and tags, and TestEventPattern, in
 * EventBridge's request and response shapes. Tags live on rules and buses (TagResource on a
 * pipeline-managed rule is a ManagedRuleException, as for any modification of one).
 */
export abstract class BusResourceApi {
  protected constructor(
    protected readonly buses: EventBusRegistry,
    protected readonly rules: RuleRegistry,
    protected readonly clock: () => Date,
  ) {}

  /** CreateEventBus: a custom bus, with its own rules and archives. */
  async createEventBus(input: CreateEventBusInput): Promise<{ EventBusArn: string; Description?: string }> {
    const request = parseInput(CreateEventBusInputSchema, input);
    const bus = await this.buses.create(request.Name, request.Description, Object.fromEntries((request.Tags ?? []).map((tag) => [tag.Key, tag.Value])), this.clock());
    return { EventBusArn: busArn(bus.name), Description: bus.description };
  }

  /** DescribeEventBus (default `default`). */
  async describeEventBus(input: EventBusRefInput = {}): Promise<ReturnType<typeof describeBusOf>> {
    const request = parseInput(EventBusRefInputSchema, input);
    return describeBusOf(this.buses.require(request.Name));
  }

  /** ListEventBuses, by name prefix, paged. */
  async listEventBuses(input: ListEventBusesInput = {}): Promise<{ EventBuses: Array<ReturnType<typeof describeBusOf>>; NextToken?: string }> {
    const request = parseInput(ListEventBusesInputSchema, input);
    const buses = this.buses.list().filter((bus) => bus.name.startsWith(request.NamePrefix ?? ''));
    const { items, NextToken } = page(buses, (bus) => bus.name, request.Limit, request.NextToken);
    return { EventBuses: items.map(describeBusOf), NextToken };
  }

  /** DeleteEventBus: deletes a custom bus and its rules; `default` and the pipeline's bus cannot be deleted. */
  async deleteEventBus(input: EventBusRefInput): Promise<Record<string, never>> {
    const request = parseInput(EventBusRefInputSchema, input);
    const name = busNameOf(request.Name);
    if (await this.buses.delete(name)) await this.rules.deleteRulesOf(name);
    return {};
  }

  /** TagResource: adds or overwrites tags of a rule or bus. */
  async tagResource(input: TagResourceInput): Promise<Record<string, never>> {
    const request = parseInput(TagResourceInputSchema, input);
    const current = this.tagsOf(request.ResourceARN);
    await this.setTags(request.ResourceARN, { ...current, ...Object.fromEntries(request.Tags.map((tag) => [tag.Key, tag.Value])) });
    return {};
  }

  /** UntagResource: removes tag keys of a rule or bus (absent keys are ignored). */
  async untagResource(input: UntagResourceInput): Promise<Record<string, never>> {
    const request = parseInput(UntagResourceInputSchema, input);
    const tags = { ...this.tagsOf(request.ResourceARN) };
    for (const key of request.TagKeys) delete tags[key];
    await this.setTags(request.ResourceARN, tags);
    return {};
  }

  /** ListTagsForResource of a rule or bus. */
  async listTagsForResource(input: ResourceRefInput): Promise<{ Tags: Tags }> {
    const request = parseInput(ResourceRefInputSchema, input);
    return { Tags: tagList(this.tagsOf(request.ResourceARN)) };
  }

  /**
   * TestEventPattern: whether the event (JSON text with id, account, source, time, region and
   * detail-type) matches the pattern, with the bus's own engine; an invalid pattern is an
   * InvalidEventPatternException worded as EventBridge's.
   */
  async testEventPattern(input: TestEventPatternInput): Promise<{ Result: boolean }> {
    const request = parseInput(TestEventPatternInputSchema, input);
    let event: unknown;
    try {
      event = parseEventText(request.Event);
    } catch {
      event = undefined;
    }
    const valid = typeof event === 'object' && event !== null && !Array.isArray(event) && REQUIRED_EVENT_FIELDS.every((field) => field in event);
    if (!valid) throw new BusValidationError('Parameter Event is not valid.');
    const { matches } = compileRulePattern(request.EventPattern);
    return { Result: matches(event) };
  }

  private tagsOf(arn: string): Readonly<Record<string, string>> {
    const rule = ruleRefOf(arn);
    if (rule !== undefined) return this.rules.require(rule.name, rule.bus).tags ?? {};
    if (isBusArn(arn)) return this.buses.require(arn).tags;
    throw new BusValidationError(`Parameter ResourceARN is not valid. Reason: ${arn} is not the ARN of a rule or an event bus.`);
  }

  private async setTags(arn: string, tags: Readonly<Record<string, string>>): Promise<void> {
    const rule = ruleRefOf(arn);
    if (rule !== undefined) return this.rules.setTags(rule.name, rule.bus, tags);
    if (!isBusArn(arn)) throw new BusResourceNotFoundError(`Resource ${arn} does not exist.`);
    await this.buses.setTags(busNameOf(arn), tags, this.clock());
  }
}
