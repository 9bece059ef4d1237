-- Reports in the inbox: each user's digest subscription (weekly or monthly, language, scope, local send
-- time, PDF attached or not) and one row per digest sent or tried (a period's row is claimed once, so two
-- workers never send the same period twice).
CREATE TABLE IF NOT EXISTS "report_subscriptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"survey_id" uuid NOT NULL,
	"frequency" text NOT NULL,
	"weekday" smallint DEFAULT 1 NOT NULL,
	"send_hour" smallint DEFAULT 8 NOT NULL,
	"locale" text NOT NULL,
	"scope_kind" text DEFAULT 'all' NOT NULL,
	"scope_codes" text[] DEFAULT '{}'::text[] NOT NULL,
	"attach_pdf" boolean DEFAULT false NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "report_subscriptions_user_uq" UNIQUE("user_id"),
	CONSTRAINT "report_subscriptions_frequency_ck" CHECK ("frequency" in ('weekly', 'monthly')),
	CONSTRAINT "report_subscriptions_weekday_ck" CHECK ("weekday" between 1 and 7),
	CONSTRAINT "report_subscriptions_hour_ck" CHECK ("send_hour" between 0 and 23),
	CONSTRAINT "report_subscriptions_locale_ck" CHECK ("locale" in ('zh-CN', 'en')),
	CONSTRAINT "report_subscriptions_scope_ck" CHECK ("scope_kind" in ('all', 'region', 'branches'))
);--> statement-breakpoint
ALTER TABLE "report_subscriptions" DROP CONSTRAINT IF EXISTS "report_subscriptions_user_id_users_id_fk";--> statement-breakpoint
ALTER TABLE "report_subscriptions" ADD CONSTRAINT "report_subscriptions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_subscriptions" DROP CONSTRAINT IF EXISTS "report_subscriptions_survey_id_surveys_id_fk";--> statement-breakpoint
ALTER TABLE "report_subscriptions" ADD CONSTRAINT "report_subscriptions_survey_id_surveys_id_fk" FOREIGN KEY ("survey_id") REFERENCES "public"."surveys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "report_deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"subscription_id" uuid NOT NULL,
	"period_key" text NOT NULL,
	"kind" text NOT NULL,
	"recipient" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "report_deliveries_period_uq" UNIQUE("subscription_id","period_key"),
	CONSTRAINT "report_deliveries_kind_ck" CHECK ("kind" in ('scheduled', 'test')),
	CONSTRAINT "report_deliveries_status_ck" CHECK ("status" in ('pending', 'sent', 'failed'))
);--> statement-breakpoint
ALTER TABLE "report_deliveries" DROP CONSTRAINT IF EXISTS "report_deliveries_subscription_id_report_subscriptions_id_fk";--> statement-breakpoint
ALTER TABLE "report_deliveries" ADD CONSTRAINT "report_deliveries_subscription_id_report_subscriptions_id_fk" FOREIGN KEY ("subscription_id") REFERENCES "public"."report_subscriptions"("id") ON DELETE cascade ON UPDATE no action;
