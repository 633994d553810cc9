CREATE TABLE "evolution" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"name" text NOT NULL,
	"symbols" jsonb NOT NULL,
	"spec" jsonb NOT NULL,
	"every_hours" integer DEFAULT 24 NOT NULL,
	"paused" boolean DEFAULT false NOT NULL,
	"state" jsonb,
	"history" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"last_error" text,
	"last_generation_at" timestamp with time zone,
	"next_generation_at" timestamp with time zone NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "evolution" ADD CONSTRAINT "evolution_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "evolution_due_idx" ON "evolution" USING btree ("paused","next_generation_at");--> statement-breakpoint
CREATE INDEX "evolution_workspace_idx" ON "evolution" USING btree ("workspace_id");