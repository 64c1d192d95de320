import { z } from 'zod';

/**
 * Request shapes of the bus's management API, named and typed as EventBridge's (PascalCase members,
 * the same limits), so the programmatic API and the JSON endpoint validate exactly the same input.
 * Unknown members (Tags, RoleArn, …) are accepted and ignored; timestamps are Dates or, as the JSON
 * protocol sends them, epoch seconds.
 */
const name64 = z.string().regex(/^[.\-_A-Za-z0-9]{1,64}$/, 'must be 1-64 characters of [.-_A-Za-z0-9]');
const archiveName = z.string().regex(/^[.\-_A-Za-z0-9]{1,48}$/, 'must be 1-48 characters of [.-_A-Za-z0-9]');
const timestamp = z.union([z.date(), z.number()]).transform((value) => (typeof value === 'number' ? new Date(value * 1000) : value));

const tags = z.array(z.object({ Key: z.string().min(1).max(128), Value: z.string().max(256) })).max(50);
const limit = z.number().int().min(1).max(100).optional();
const nextToken = z.string().min(1).max(2048).optional();

/** Rule states, as EventBridge names them. */
export const RuleState = { Enabled: 'ENABLED', Disabled: 'DISABLED' } as const;

/** `PutRule`: create or update a rule (its targets are kept on update). */
export const PutRuleInputSchema = z.object({
  Name: name64,
  EventBusName: z.string().optional(),
  EventPattern: z.string().max(4096).optional(),
  ScheduleExpression: z.string().optional(),
  State: z.enum([RuleState.Enabled, RuleState.Disabled]).optional(),
  Description: z.string().max(512).optional(),
  Tags: tags.optional(),
});

/** One target of `PutTargets`, with at most one of `Input`, `InputPath`, `InputTransformer` (checked with EventBridge's message). */
export const TargetInputSchema = z.object({
  Id: name64,
  Arn: z.string().min(1).max(1600),
  RetryPolicy: z
    .object({
      MaximumRetryAttempts: z.number().int().min(0).max(185).optional(),
      MaximumEventAgeInSeconds: z.number().int().min(60).max(86400).optional(),
    })
    .optional(),
  DeadLetterConfig: z.object({ Arn: z.string().min(1).optional() }).optional(),
  Input: z.string().optional(),
  InputPath: z.string().optional(),
  InputTransformer: z.object({ InputPathsMap: z.record(z.string(), z.string()).optional(), InputTemplate: z.string() }).optional(),
});

/** `PutTargets`: add or replace targets of a rule. */
export const PutTargetsInputSchema = z.object({
  Rule: name64,
  EventBusName: z.string().optional(),
  Targets: z.array(TargetInputSchema).min(1).max(100),
});

/** `RemoveTargets`: remove targets by id. */
export const RemoveTargetsInputSchema = z.object({
  Rule: name64,
  EventBusName: z.string().optional(),
  Ids: z.array(name64).min(1).max(100),
  Force: z.boolean().optional(),
});

/** `DeleteRule`, `DescribeRule` and `ListTargetsByRule` name a rule on a bus. */
export const RuleRefInputSchema = z.object({
  Name: name64.optional(),
  Rule: name64.optional(),
  EventBusName: z.string().optional(),
  Force: z.boolean().optional(),
});

/** `ListRules`: rules of a bus, optionally by name prefix, paged. */
export const ListRulesInputSchema = z.object({ NamePrefix: z.string().optional(), EventBusName: z.string().optional(), Limit: limit, NextToken: nextToken });

/** `ListTargetsByRule`: targets of a rule, paged. */
export const ListTargetsByRuleInputSchema = z.object({ Rule: name64, EventBusName: z.string().optional(), Limit: limit, NextToken: nextToken });

/** `EnableRule` / `DisableRule`. */
export const RuleStateInputSchema = z.object({ Name: name64, EventBusName: z.string().optional() });

/** `TestEventPattern`: does an event (JSON text) match a pattern (JSON text)? */
export const TestEventPatternInputSchema = z.object({ EventPattern: z.string().min(1).max(4096), Event: z.string().min(1) });

/** `CreateEventBus`. */
export const CreateEventBusInputSchema = z.object({ Name: z.string().min(1).max(256), Description: z.string().max(512).optional(), Tags: tags.optional() });

/** `DescribeEventBus` (default `default`) and `DeleteEventBus`. */
export const EventBusRefInputSchema = z.object({ Name: z.string().min(1).max(1600).optional() });

/** `ListEventBuses`. */
export const ListEventBusesInputSchema = z.object({ NamePrefix: z.string().optional(), Limit: limit, NextToken: nextToken });

/** `TagResource`. */
export const TagResourceInputSchema = z.object({ ResourceARN: z.string().min(1).max(1600), Tags: tags });

/** `UntagResource`. */
export const UntagResourceInputSchema = z.object({ ResourceARN: z.string().min(1).max(1600), TagKeys: z.array(z.string().min(1).max(128)) });

/** `ListTagsForResource`. */
export const ResourceRefInputSchema = z.object({ ResourceARN: z.string().min(1).max(1600) });

/** `UpdateArchive`: at least one of EventPattern, RetentionDays, Description. */
export const UpdateArchiveInputSchema = z.object({
  ArchiveName: archiveName,
  Description: z.string().max(512).optional(),
  EventPattern: z.string().max(4096).optional(),
  RetentionDays: z.number().int().min(0).optional(),
});

/** `ListReplays`. */
export const ListReplaysInputSchema = z.object({ NamePrefix: z.string().optional(), State: z.string().optional(), EventSourceArn: z.string().optional(), Limit: limit, NextToken: nextToken });

/** `CreateArchive`: an archive of a bus with an optional pattern; RetentionDays 0 keeps forever. */
export const CreateArchiveInputSchema = z.object({
  ArchiveName: archiveName,
  EventSourceArn: z.string().min(1),
  Description: z.string().max(512).optional(),
  EventPattern: z.string().max(4096).optional(),
  RetentionDays: z.number().int().min(0).optional(),
});

/** `DescribeArchive`. */
export const ArchiveRefInputSchema = z.object({ ArchiveName: archiveName });

/** `ListArchives`. */
export const ListArchivesInputSchema = z.object({
  NamePrefix: z.string().optional(),
  EventSourceArn: z.string().optional(),
  State: z.string().optional(),
  Limit: limit,
  NextToken: nextToken,
});

/** `StartReplay`: re-send an archive's events of the window [start, end) to its bus. */
export const StartReplayInputSchema = z.object({
  ReplayName: name64,
  Description: z.string().max(512).optional(),
  EventSourceArn: z.string().min(1),
  EventStartTime: timestamp,
  EventEndTime: timestamp,
  Destination: z.object({ Arn: z.string().min(1), FilterArns: z.array(z.string().min(1)).optional() }),
});

/** `DescribeReplay`. */
export const ReplayRefInputSchema = z.object({ ReplayName: name64 });

/** Input of `putRule`. */
export type PutRuleInput = z.input<typeof PutRuleInputSchema>;
/** Input of `putTargets`. */
export type PutTargetsInput = z.input<typeof PutTargetsInputSchema>;
/** Input of `removeTargets`. */
export type RemoveTargetsInput = z.input<typeof RemoveTargetsInputSchema>;
/** Input of `deleteRule`, `describeRule`, `listTargetsByRule`. */
export type RuleRefInput = z.input<typeof RuleRefInputSchema>;
/** Input of `listRules`. */
export type ListRulesInput = z.input<typeof ListRulesInputSchema>;
/** Input of `createArchive`. */
export type CreateArchiveInput = z.input<typeof CreateArchiveInputSchema>;
/** Input of `describeArchive`. */
export type ArchiveRefInput = z.input<typeof ArchiveRefInputSchema>;
/** Input of `listArchives`. */
export type ListArchivesInput = z.input<typeof ListArchivesInputSchema>;
/** Input of `startReplay`. */
export type StartReplayInput = z.input<typeof StartReplayInputSchema>;
/** Input of `describeReplay` and `cancelReplay`. */
export type ReplayRefInput = z.input<typeof ReplayRefInputSchema>;
/** Input of `listTargetsByRule`. */
export type ListTargetsByRuleInput = z.input<typeof ListTargetsByRuleInputSchema>;
/** Input of `enableRule` / `disableRule`. */
export type RuleStateInput = z.input<typeof RuleStateInputSchema>;
/** Input of `testEventPattern`. */
export type TestEventPatternInput = z.input<typeof TestEventPatternInputSchema>;
/** Input of `createEventBus`. */
export type CreateEventBusInput = z.input<typeof CreateEventBusInputSchema>;
/** Input of `describeEventBus` / `deleteEventBus`. */
export type EventBusRefInput = z.input<typeof EventBusRefInputSchema>;
/** Input of `listEventBuses`. */
export type ListEventBusesInput = z.input<typeof ListEventBusesInputSchema>;
/** Input of `tagResource`. */
export type TagResourceInput = z.input<typeof TagResourceInputSchema>;
/** Input of `untagResource`. */
export type UntagResourceInput = z.input<typeof UntagResourceInputSchema>;
/** Input of `listTagsForResource`. */
export type ResourceRefInput = z.input<typeof ResourceRefInputSchema>;
/** Input of `updateArchive`. */
export type UpdateArchiveInput = z.input<typeof UpdateArchiveInputSchema>;
/** Input of `listReplays`. */
export type ListReplaysInput = z.input<typeof ListReplaysInputSchema>;
