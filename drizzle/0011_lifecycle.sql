CREATE TABLE "lifecycle_decision" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"strategy_id" uuid,
	"event" text NOT NULL,
	"from_state" text,
	"to_state" text,
	"outcome" text NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"inputs" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"actor_label" text,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "lifecycle_setting" (
	"workspace_id" uuid PRIMARY KEY NOT NULL,
	"gates" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"kill_switch" boolean DEFAULT false NOT NULL,
	"kill_switch_at" timestamp with time zone,
	"killed" jsonb DEFAULT '{"strategyIds":[],"alertRuleIds":[]}'::jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "strategy" ADD COLUMN "state_changed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "strategy" ADD COLUMN "fitness" real;--> statement-breakpoint
ALTER TABLE "strategy" ADD COLUMN "candidate_metrics" jsonb;--> statement-breakpoint
ALTER TABLE "strategy" ADD COLUMN "shadow_start_bar_ms" double precision;--> statement-breakpoint
ALTER TABLE "strategy" ADD COLUMN "forward_last_bar_ms" double precision;--> statement-breakpoint
ALTER TABLE "strategy" ADD COLUMN "disabled_reason" text;--> statement-breakpoint
ALTER TABLE "lifecycle_decision" ADD CONSTRAINT "lifecycle_decision_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lifecycle_setting" ADD CONSTRAINT "lifecycle_setting_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "lifecycle_decision_ws_idx" ON "lifecycle_decision" USING btree ("workspace_id","at");