-- Loyalty ladder and index (api/src/loyalty): the quality manager's settings (index weights, ladder
-- thresholds per tier, margin assumption), one row (id 1); missing fields take the documented defaults.
CREATE TABLE IF NOT EXISTS "loyalty_settings" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"settings" jsonb NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);--> statement-breakpoint
ALTER TABLE "loyalty_settings" DROP CONSTRAINT IF EXISTS "loyalty_settings_updated_by_users_id_fk";--> statement-breakpoint
ALTER TABLE "loyalty_settings" ADD CONSTRAINT "loyalty_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;
