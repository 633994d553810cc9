import { boolean, index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { strategies } from "./strategies";
import { workspaces } from "./workspaces";

/** low < normal < high < critical. Channels receive alerts at or above their `minPriority`. */
export const ALERT_PRIORITIES = ["low", "normal", "high", "critical"] as const;
export type AlertPriority = (typeof ALERT_PRIORITIES)[number];

/** A simple condition on the newest bar: `metric op value` (crosses_* compare with the bar before). */
export interface AlertCondition {
  metric: "close" | "change_pct" | "volume" | "rsi_14" | "sma_20_distance_pct";
  op: ">" | ">=" | "<" | "<=" | "crosses_above" | "crosses_below";
  value: number;
}

/**
 * An alert rule: a strategy (its entry signals) or a simple condition, over symbols or a universe,
 * evaluated on each new bar or on a cron schedule, with a per-symbol cooldown and a priority.
 */
export const alertRules = pgTable(
  "alert_rule",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    strategyId: uuid("strategy_id").references(() => strategies.id, { onDelete: "cascade" }),
    strategyVersion: integer("strategy_version"),
    params: jsonb("params").$type<Record<string, string | number | boolean>>().notNull().default({}),
    condition: jsonb("condition").$type<AlertCondition>(),
    symbols: jsonb("symbols").$type<string[]>().notNull().default([]),
    universe: text("universe"),
    /** bar: on each new bar; schedule: on `schedule` (cron, UTC). */
    trigger: text("trigger").$type<"bar" | "schedule">().notNull().default("bar"),
    schedule: text("schedule"),
    cooldownSeconds: integer("cooldown_seconds").notNull().default(3600),
    priority: text("priority").$type<AlertPriority>().notNull().default("normal"),
    enabled: boolean("enabled").notNull().default(true),
    lastEvaluatedAt: timestamp("last_evaluated_at", { withTimezone: true }),
    createdBy: text("created_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("alert_rule_workspace_idx").on(t.workspaceId, t.enabled)],
);

/** A fired alert (the feed). One per rule + symbol + bar + type: the unique key is the de-duplication. */
export const alertEvents = pgTable(
  "alert_event",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    /** The rule that fired; null for a lifecycle event (which names its strategy instead). */
    ruleId: uuid("rule_id").references(() => alertRules.id, { onDelete: "cascade" }),
    /** Lifecycle events and risk alerts: the strategy they are about. */
    strategyId: uuid("strategy_id").references(() => strategies.id, { onDelete: "cascade" }),
    symbol: text("symbol").notNull(),
    /** Time of the bar the alert is about. */
    barTime: timestamp("bar_time", { withTimezone: true }).notNull(),
    type: text("type").notNull(),
    priority: text("priority").$type<AlertPriority>().notNull(),
    message: text("message").notNull(),
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    acknowledgedAt: timestamp("acknowledged_at", { withTimezone: true }),
    acknowledgedBy: text("acknowledged_by"),
  },
  (t) => [
    unique("alert_event_dedup").on(t.ruleId, t.symbol, t.barTime, t.type),
    index("alert_event_workspace_idx").on(t.workspaceId, t.createdAt),
    index("alert_event_rule_symbol_idx").on(t.ruleId, t.symbol, t.createdAt),
  ],
);

/** Delivery targets of a workspace. The webhook secret is encrypted at rest and shown once. */
export const alertChannels = pgTable(
  "alert_channel",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    kind: text("kind").$type<"webhook" | "email">().notNull(),
    name: text("name").notNull(),
    /** Webhook URL or email address. */
    target: text("target").notNull(),
    secretEnc: text("secret_enc"),
    minPriority: text("min_priority").$type<AlertPriority>().notNull().default("normal"),
    enabled: boolean("enabled").notNull().default(true),
    consecutiveFailures: integer("consecutive_failures").notNull().default(0),
    disabledReason: text("disabled_reason"),
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
    createdBy: text("created_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("alert_channel_workspace_idx").on(t.workspaceId)],
);

/** One alert to one channel; unique so a retried evaluation never delivers twice. */
export const alertDeliveries = pgTable(
  "alert_delivery",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id").notNull(),
    channelId: uuid("channel_id")
      .notNull()
      .references(() => alertChannels.id, { onDelete: "cascade" }),
    eventId: uuid("event_id")
      .notNull()
      .references(() => alertEvents.id, { onDelete: "cascade" }),
    status: text("status").$type<"pending" | "delivered" | "failed">().notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    responseStatus: integer("response_status"),
    lastError: text("last_error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
  },
  (t) => [unique("alert_delivery_unique").on(t.channelId, t.eventId)],
);

/** In-app notifications of a workspace (alerts, disabled channels, finished runs). */
export const notifications = pgTable(
  "notification",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    kind: text("kind").$type<"alert" | "channel_disabled" | "run" | "lifecycle">().notNull(),
    title: text("title").notNull(),
    body: text("body").notNull().default(""),
    priority: text("priority").$type<AlertPriority>().notNull().default("normal"),
    /** Only admins see channel problems; null = every member. */
    audience: text("audience").$type<"all" | "admins">().notNull().default("all"),
    eventId: uuid("event_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("notification_workspace_idx").on(t.workspaceId, t.createdAt)],
);

export type AlertRule = typeof alertRules.$inferSelect;
export type AlertEvent = typeof alertEvents.$inferSelect;
export type AlertChannel = typeof alertChannels.$inferSelect;
export type AlertDelivery = typeof alertDeliveries.$inferSelect;
export type Notification = typeof notifications.$inferSelect;
