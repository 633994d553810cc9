CREATE TABLE "forward_test" (
	"strategy_id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"symbols" jsonb NOT NULL,
	"start_bar_ms" double precision NOT NULL,
	"expected_log_return_per_bar" double precision,
	"times" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"equity" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"return_pct" double precision,
	"expected_return_pct" double precision,
	"max_drawdown_pct" double precision,
	"last_error" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "forward_test" ADD CONSTRAINT "forward_test_strategy_id_strategy_id_fk" FOREIGN KEY ("strategy_id") REFERENCES "public"."strategy"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forward_test" ADD CONSTRAINT "forward_test_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;