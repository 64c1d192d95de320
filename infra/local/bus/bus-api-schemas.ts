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
});

/** One target of `PutTargets`; `Input`, `InputPath` and `InputTransformer` are not supported locally. */
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
  Input: z.undefined({ error: 'Input is not supported by the local bus' }).optional(),
  InputPath: z.undefined({ error: 'InputPath is not supported by the local bus' }).optional(),
  InputTransformer: z.undefined({ error: 'InputTransformer is not supported by the local bus' }).optional(),
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

/** `ListRules`: rules of a bus, optionally by name prefix. */
export const ListRulesInputSchema = z.object({ NamePrefix: z.string().optional(), EventBusName: z.string().optional() });

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
/** Input of `describeReplay`. */
export type ReplayRefInput = z.input<typeof ReplayRefInputSchema>;
