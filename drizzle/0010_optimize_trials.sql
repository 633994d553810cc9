CREATE TABLE "optimize_trial" (
	"run_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"params" jsonb NOT NULL,
	"state" text NOT NULL,
	"values" jsonb,
	"violation" double precision,
	"intermediate" jsonb,
	"metrics" jsonb,
	"returns" text,
	"error" text,
	"worker" text NOT NULL,
	"attempts" integer DEFAULT 1 NOT NULL,
	"lease_until" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "optimize_trial_run_id_number_pk" PRIMARY KEY("run_id","number")
);
--> statement-breakpoint
ALTER TABLE "optimize_trial" ADD CONSTRAINT "optimize_trial_run_id_run_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."run"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "optimize_trial_run_state_idx" ON "optimize_trial" USING btree ("run_id","state");