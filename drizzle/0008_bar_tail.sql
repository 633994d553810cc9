CREATE TABLE "market_bar_tail" (
	"symbol_id" uuid NOT NULL,
	"ts_ms" double precision NOT NULL,
	"open" double precision NOT NULL,
	"high" double precision NOT NULL,
	"low" double precision NOT NULL,
	"close" double precision NOT NULL,
	"volume" double precision NOT NULL,
	"market_cap" double precision,
	"pe" double precision,
	"eps" double precision,
	"revenue" double precision,
	"pb" double precision,
	"debt_to_equity" double precision,
	CONSTRAINT "market_bar_tail_symbol_id_ts_ms_pk" PRIMARY KEY("symbol_id","ts_ms")
);
--> statement-breakpoint
ALTER TABLE "market_symbol" ADD COLUMN "chunk_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "market_bar_tail" ADD CONSTRAINT "market_bar_tail_symbol_id_market_symbol_id_fk" FOREIGN KEY ("symbol_id") REFERENCES "public"."market_symbol"("id") ON DELETE cascade ON UPDATE no action;