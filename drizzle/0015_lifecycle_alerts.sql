ALTER TABLE "alert_event" ALTER COLUMN "rule_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "alert_event" ADD COLUMN "strategy_id" uuid;--> statement-breakpoint
ALTER TABLE "alert_event" ADD CONSTRAINT "alert_event_strategy_id_strategy_id_fk" FOREIGN KEY ("strategy_id") REFERENCES "public"."strategy"("id") ON DELETE cascade ON UPDATE no action;