CREATE TABLE "market_bar_chunk" (
	"symbol_id" uuid NOT NULL,
	"chunk" integer NOT NULL,
	"count" integer NOT NULL,
	"first_ms" double precision NOT NULL,
	"last_ms" double precision NOT NULL,
	"data" "bytea" NOT NULL,
	CONSTRAINT "market_bar_chunk_symbol_id_chunk_pk" PRIMARY KEY("symbol_id","chunk")
);
--> statement-breakpoint
CREATE TABLE "market_fundamental_chunk" (
	"symbol_id" uuid NOT NULL,
	"chunk" integer NOT NULL,
	"count" integer NOT NULL,
	"data" "bytea" NOT NULL,
	CONSTRAINT "market_fundamental_chunk_symbol_id_chunk_pk" PRIMARY KEY("symbol_id","chunk")
);
--> statement-breakpoint
CREATE TABLE "market_symbol" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid,
	"symbol" text NOT NULL,
	"name" text NOT NULL,
	"sector" text,
	"source" text NOT NULL,
	"synthetic" boolean DEFAULT false NOT NULL,
	"bar_count" integer DEFAULT 0 NOT NULL,
	"first_ms" double precision,
	"last_ms" double precision,
	"last_close" double precision,
	"last_volume" double precision,
	"market_cap" double precision,
	"pe" double precision,
	"pb" double precision,
	"eps" double precision,
	"revenue" double precision,
	"debt_to_equity" double precision,
	"meta" jsonb,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "market_symbol_scope_uq" UNIQUE NULLS NOT DISTINCT("workspace_id","symbol")
);
--> statement-breakpoint
CREATE TABLE "market_universe" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid,
	"name" text NOT NULL,
	"description" text,
	"symbols" text[] DEFAULT '{}'::text[] NOT NULL,
	"synthetic" boolean DEFAULT false NOT NULL,
	"params" jsonb,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "market_universe_scope_uq" UNIQUE NULLS NOT DISTINCT("workspace_id","name")
);
--> statement-breakpoint
ALTER TABLE "market_bar_chunk" ADD CONSTRAINT "market_bar_chunk_symbol_id_market_symbol_id_fk" FOREIGN KEY ("symbol_id") REFERENCES "public"."market_symbol"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "market_fundamental_chunk" ADD CONSTRAINT "market_fundamental_chunk_symbol_id_market_symbol_id_fk" FOREIGN KEY ("symbol_id") REFERENCES "public"."market_symbol"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "market_symbol_symbol_idx" ON "market_symbol" USING btree ("symbol");--> statement-breakpoint
CREATE INDEX "market_symbol_sector_idx" ON "market_symbol" USING btree ("sector");