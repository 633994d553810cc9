CREATE TABLE "hydration_symbol" (
	"hydration_id" uuid NOT NULL,
	"symbol" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"bars" integer DEFAULT 0 NOT NULL,
	"reason" text,
	"writes" integer DEFAULT 0 NOT NULL,
	"worker" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "hydration_symbol_hydration_id_symbol_pk" PRIMARY KEY("hydration_id","symbol")
);
--> statement-breakpoint
CREATE TABLE "hydration" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid,
	"provider" text NOT NULL,
	"from_ms" bigint NOT NULL,
	"to_ms" bigint NOT NULL,
	"universe" text NOT NULL,
	"total" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "hydration_symbol" ADD CONSTRAINT "hydration_symbol_hydration_id_hydration_id_fk" FOREIGN KEY ("hydration_id") REFERENCES "public"."hydration"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hydration" ADD CONSTRAINT "hydration_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "hydration_symbol_status_idx" ON "hydration_symbol" USING btree ("hydration_id","status");