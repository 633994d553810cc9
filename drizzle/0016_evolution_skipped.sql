ALTER TABLE "evolution" ADD COLUMN "skipped_reason" text;--> statement-breakpoint
ALTER TABLE "evolution" ADD COLUMN "skipped_at" timestamp with time zone;