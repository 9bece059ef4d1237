-- Targets (issue 18 part 1): a target value per metric for the company, a region or a branch, for one
-- period (a year, quarter or month, stored as its first and last day), set by quality managers.
CREATE TABLE IF NOT EXISTS "targets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"metric" text NOT NULL CHECK ("metric" IN ('nps', 'csi', 'csat_top2', 'csat_top_box', 'pp100', 'response_rate', 'sla_hit_rate')),
	"level" text NOT NULL CHECK ("level" IN ('company', 'region', 'branch')),
	"region_id" uuid REFERENCES "regions"("id") ON DELETE CASCADE,
	"branch_id" uuid REFERENCES "branches"("id") ON DELETE CASCADE,
	"period" text NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"value" double precision NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "targets_level_ck" CHECK (
		("level" = 'company' AND "region_id" IS NULL AND "branch_id" IS NULL)
		OR ("level" = 'region' AND "region_id" IS NOT NULL AND "branch_id" IS NULL)
		OR ("level" = 'branch' AND "branch_id" IS NOT NULL AND "region_id" IS NULL)),
	CONSTRAINT "targets_period_ck" CHECK ("period_start" <= "period_end"),
	CONSTRAINT "targets_key_uq" UNIQUE NULLS NOT DISTINCT ("metric", "level", "region_id", "branch_id", "period")
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "targets_period_idx" ON "targets" USING btree ("period_end", "period_start");
--> statement-breakpoint
-- Brands (issue 18 part 3): what customers see instead of the product: name, logo, colours, sender and
-- legal footer. Every branch may belong to one brand.
CREATE TABLE IF NOT EXISTS "brands" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"name_en" text,
	"primary_color" text NOT NULL,
	"on_primary_color" text NOT NULL,
	"sender_name" text NOT NULL,
	"sender_email" text NOT NULL,
	"sms_sender" text NOT NULL,
	"legal_footer" text NOT NULL DEFAULT '',
	"legal_footer_en" text,
	"logo" bytea,
	"logo_type" text,
	"logo_updated_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "brands_code_unique" UNIQUE ("code")
);
--> statement-breakpoint
ALTER TABLE "branches" ADD COLUMN IF NOT EXISTS "brand_id" uuid REFERENCES "brands"("id") ON DELETE SET NULL;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "branches_brand_id_idx" ON "branches" USING btree ("brand_id");
--> statement-breakpoint
-- CSAT top-box (answers at the scale's highest point) beside the top-2-box in the daily rollup; the rollup's
-- signature changes with it, so existing rows are rebuilt from the facts on the next read.
ALTER TABLE "analytics_daily" ADD COLUMN IF NOT EXISTS "csat_top_box" integer DEFAULT 0 NOT NULL;
