-- Rewards for feedback: a programme per survey with its pool of coupon or points codes, one code per
-- finished response (at most one per customer and period), the stock alerts of a programme running low,
-- and the redemptions the rental system reports back.
CREATE TABLE IF NOT EXISTS "reward_programmes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"survey_id" uuid NOT NULL,
	"name" text NOT NULL,
	"name_en" text,
	"kind" text DEFAULT 'coupon' NOT NULL,
	"period" text DEFAULT 'month' NOT NULL,
	"time_zone" text DEFAULT 'Asia/Shanghai' NOT NULL,
	"low_stock_threshold" integer DEFAULT 20 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"low_stock_alerted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reward_programmes_survey_uq" UNIQUE("survey_id"),
	CONSTRAINT "reward_programmes_survey_fk" FOREIGN KEY ("survey_id") REFERENCES "public"."surveys"("id") ON DELETE cascade,
	CONSTRAINT "reward_programmes_kind_ck" CHECK ("kind" IN ('coupon', 'points')),
	CONSTRAINT "reward_programmes_period_ck" CHECK ("period" IN ('month', 'quarter', 'year')),
	CONSTRAINT "reward_programmes_threshold_ck" CHECK ("low_stock_threshold" >= 0)
);--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "reward_codes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"programme_id" uuid NOT NULL,
	"code" text NOT NULL,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL,
	"issued_at" timestamp with time zone,
	"response_id" uuid,
	"customer_id" uuid,
	"branch_id" uuid,
	"value_tier" text,
	"period_start" date,
	"redeemed_at" timestamp with time zone,
	"redeemed_branch" text,
	"message_channel" text,
	"message_status" text,
	"message_attempts" integer DEFAULT 0 NOT NULL,
	"message_error" text,
	"message_sent_at" timestamp with time zone,
	CONSTRAINT "reward_codes_code_uq" UNIQUE("programme_id","code"),
	CONSTRAINT "reward_codes_response_uq" UNIQUE("response_id"),
	CONSTRAINT "reward_codes_programme_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."reward_programmes"("id") ON DELETE cascade,
	CONSTRAINT "reward_codes_response_fk" FOREIGN KEY ("response_id") REFERENCES "public"."responses"("id") ON DELETE set null,
	CONSTRAINT "reward_codes_customer_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE set null,
	CONSTRAINT "reward_codes_branch_fk" FOREIGN KEY ("branch_id") REFERENCES "public"."branches"("id") ON DELETE set null,
	CONSTRAINT "reward_codes_redeemed_ck" CHECK ("redeemed_at" IS NULL OR "issued_at" IS NOT NULL)
);--> statement-breakpoint
-- One code per customer and period of a programme: the issuing serialises per customer, this is the proof.
CREATE UNIQUE INDEX IF NOT EXISTS "reward_codes_customer_period_uq" ON "reward_codes" USING btree ("programme_id","customer_id","period_start") WHERE "customer_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "reward_codes_available_idx" ON "reward_codes" USING btree ("programme_id","added_at","code") WHERE "issued_at" IS NULL;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "reward_codes_issued_idx" ON "reward_codes" USING btree ("programme_id","issued_at") WHERE "issued_at" IS NOT NULL;--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "reward_alerts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"programme_id" uuid NOT NULL,
	"recipient" text NOT NULL,
	"remaining" integer NOT NULL,
	"idempotency_key" text NOT NULL,
	"subject" text NOT NULL,
	"body" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reward_alerts_key_uq" UNIQUE("idempotency_key"),
	CONSTRAINT "reward_alerts_programme_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."reward_programmes"("id") ON DELETE cascade
);--> statement-breakpoint
SELECT pgboss.create_queue('rewards.dead', '{"policy":"standard","retentionMinutes":43200}'::json);
--> statement-breakpoint
SELECT pgboss.create_queue('rewards.send', '{"policy":"standard","retryLimit":5,"retryDelay":30,"retryBackoff":true,"expireInSeconds":300,"deadLetter":"rewards.dead"}'::json);
