/** Zod schemas for alert rules, channels and the feed (client-safe). */
import { z } from "zod";
import { paramValuesSchema, symbolSchema } from "./runs";
import { workspaceIdSchema } from "./workspaces";

export const alertPrioritySchema = z.enum(["low", "normal", "high", "critical"]);

/** Five-field cron (minute hour day month weekday), UTC. */
export const cronSchema = z
  .string()
  .trim()
  .regex(/^(\S+\s+){4}\S+$/, "Use a five-field cron expression such as `0 14 * * 1-5`.");

export const alertConditionSchema = z
  .object({
    metric: z.enum(["close", "change_pct", "volume", "rsi_14", "sma_20_distance_pct"]),
    op: z.enum([">", ">=", "<", "<=", "crosses_above", "crosses_below"]),
    value: z.number().finite(),
  })
  .strict();

export const alertRuleFields = z
  .object({
    name: z.string().trim().min(1, "Name is required.").max(120),
    strategyId: z.string().uuid().optional(),
    strategyVersion: z.number().int().positive().optional(),
    params: paramValuesSchema.default({}),
    condition: alertConditionSchema.optional(),
    symbols: z.array(symbolSchema).max(5000).default([]),
    universe: z.string().trim().min(1).max(80).optional(),
    trigger: z.enum(["bar", "schedule"]).default("bar"),
    schedule: cronSchema.optional(),
    cooldownSeconds: z
      .number()
      .int()
      .min(0)
      .max(30 * 86_400)
      .default(3600),
    priority: alertPrioritySchema.default("normal"),
    enabled: z.boolean().default(true),
  })
  .strict();

/** A rule's editable fields, absent ones undefined (what forms send and the schema accepts). */
export type AlertRuleFields = z.infer<typeof alertRuleFields>;
/** The same fields as a stored row holds them: every key present, absent ones null. */
export type AlertRuleColumns = {
  [K in keyof AlertRuleFields]-?: {} extends Pick<AlertRuleFields, K>
    ? Exclude<AlertRuleFields[K], undefined> | null
    : AlertRuleFields[K];
};

/** The editable fields of a rule, in one list (forms, updates and storage all follow it). */
export const ALERT_RULE_FIELD_NAMES = Object.keys(alertRuleFields.shape) as (keyof AlertRuleFields)[];

/** A stored rule's editable fields (for an update that changes one thing, like pausing). */
export function ruleFieldsOf(row: AlertRuleColumns): AlertRuleFields {
  const out: Record<string, unknown> = {};
  for (const k of ALERT_RULE_FIELD_NAMES) if (row[k] !== null) out[k] = row[k];
  return alertRuleFields.parse(out);
}

/** Fields as stored columns: every editable field present, absent ones null. */
export function ruleColumnsOf(fields: AlertRuleFields): AlertRuleColumns {
  const out: Record<string, unknown> = {};
  for (const k of ALERT_RULE_FIELD_NAMES) out[k] = fields[k] ?? null;
  return out as AlertRuleColumns;
}

const ruleChecks = <T extends z.ZodType<z.infer<typeof alertRuleFields>>>(s: T) =>
  s
    .refine((r) => Boolean(r.strategyId) !== Boolean(r.condition), {
      message: "Choose either a strategy or a simple condition.",
      path: ["strategyId"],
    })
    .refine((r) => r.symbols.length > 0 || Boolean(r.universe), {
      message: "Watch at least one symbol or a universe.",
      path: ["symbols"],
    })
    .refine((r) => r.trigger !== "schedule" || Boolean(r.schedule), {
      message: "A scheduled rule needs a cron schedule.",
      path: ["schedule"],
    });

export const createAlertRuleInput = z
  .object({ workspaceId: workspaceIdSchema, rule: ruleChecks(alertRuleFields) })
  .strict();
export const updateAlertRuleInput = z
  .object({ workspaceId: workspaceIdSchema, ruleId: z.string().uuid(), rule: ruleChecks(alertRuleFields) })
  .strict();
export const alertRuleRefInput = z.object({ workspaceId: workspaceIdSchema, ruleId: z.string().uuid() }).strict();

export const listAlertEventsInput = z
  .object({
    workspaceId: workspaceIdSchema,
    ruleId: z.string().uuid().optional(),
    symbol: symbolSchema.optional(),
    priority: alertPrioritySchema.optional(),
    acknowledged: z.boolean().optional(),
    limit: z.number().int().min(1).max(200).default(50),
    before: z.string().datetime().optional(),
  })
  .strict();
export const acknowledgeInput = z
  .object({ workspaceId: workspaceIdSchema, eventIds: z.array(z.string().uuid()).min(1).max(500) })
  .strict();

export const createChannelInput = z
  .object({
    workspaceId: workspaceIdSchema,
    kind: z.enum(["webhook", "email"]),
    name: z.string().trim().min(1).max(80),
    target: z.string().trim().max(2000),
    minPriority: alertPrioritySchema.default("normal"),
  })
  .strict()
  .refine(
    (c) => (c.kind === "webhook" ? /^https?:\/\/\S+$/.test(c.target) : /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(c.target)),
    {
      message: "Webhooks need an http(s) URL; email channels need an address.",
      path: ["target"],
    },
  );
export const channelRefInput = z.object({ workspaceId: workspaceIdSchema, channelId: z.string().uuid() }).strict();
