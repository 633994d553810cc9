CREATE TABLE "macro_series" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid,
	"series_id" text NOT NULL,
	"source" text NOT NULL,
	"count" integer NOT NULL,
	"first_ms" double precision,
	"last_ms" double precision,
	"data" "bytea" NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "macro_series_scope_uq" UNIQUE NULLS NOT DISTINCT("workspace_id","series_id")
);
--> statement-breakpoint
ALTER TABLE "hydration" ADD COLUMN "fundamentals" boolean DEFAULT false NOT NULL;