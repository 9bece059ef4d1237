-- Complaints from every channel: a case opened by staff from a phone call, an email, the counter or social
-- media has no alert rule, response or survey; it keeps where it arrived and what the customer said.
ALTER TABLE "cases" ALTER COLUMN "rule_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "cases" ALTER COLUMN "response_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "cases" ALTER COLUMN "survey_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN IF NOT EXISTS "channel" text DEFAULT 'survey' NOT NULL;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN IF NOT EXISTS "description" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN IF NOT EXISTS "opened_by_user_id" uuid;--> statement-breakpoint
ALTER TABLE "cases" DROP CONSTRAINT IF EXISTS "cases_opened_by_user_id_users_id_fk";--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_opened_by_user_id_users_id_fk" FOREIGN KEY ("opened_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
-- A survey-raised case has its rule, response and survey; a complaint has none of them.
ALTER TABLE "cases" DROP CONSTRAINT IF EXISTS "cases_channel_source_chk";--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_channel_source_chk" CHECK (
	("channel" = 'survey' AND "rule_id" IS NOT NULL AND "response_id" IS NOT NULL AND "survey_id" IS NOT NULL)
	OR ("channel" IN ('phone', 'email', 'counter', 'social') AND "rule_id" IS NULL AND "response_id" IS NULL)
);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "cases_channel_created_idx" ON "cases" USING btree ("channel","created_at");--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "case_attachments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"file_name" text NOT NULL,
	"content_type" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"sha256" text NOT NULL,
	"content" bytea NOT NULL,
	"uploaded_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "case_attachments_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action
);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "case_attachments_case_idx" ON "case_attachments" USING btree ("case_id","created_at");--> statement-breakpoint
-- The golden time to first contact per priority (case metrics), and the time limits of staff-opened complaints.
CREATE TABLE IF NOT EXISTS "case_priority_settings" (
	"priority" text PRIMARY KEY NOT NULL,
	"golden_first_contact_minutes" integer NOT NULL,
	"first_response_hours" integer NOT NULL,
	"resolution_hours" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);--> statement-breakpoint
INSERT INTO "case_priority_settings" ("priority", "golden_first_contact_minutes", "first_response_hours", "resolution_hours") VALUES
	('urgent', 15, 2, 24),
	('high', 30, 4, 48),
	('normal', 120, 24, 72),
	('low', 480, 48, 120)
ON CONFLICT ("priority") DO NOTHING;--> statement-breakpoint
-- Action plans: from a driver, a Pareto problem or a comment topic, owned by a person, for some branches.
CREATE TABLE IF NOT EXISTS "action_plans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" bigserial NOT NULL,
	"title" text NOT NULL,
	"source_kind" text NOT NULL,
	"source_key" text,
	"source_label" text,
	"survey_id" uuid NOT NULL,
	"metric" text NOT NULL,
	"owner_user_id" uuid,
	"owner_name" text,
	"owner_email" text NOT NULL,
	"start_date" date NOT NULL,
	"due_date" date NOT NULL,
	"status" text DEFAULT 'planned' NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"created_by" text NOT NULL,
	"overdue_reminded_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "action_plans_number_unique" UNIQUE("number"),
	CONSTRAINT "action_plans_survey_id_surveys_id_fk" FOREIGN KEY ("survey_id") REFERENCES "public"."surveys"("id") ON DELETE no action ON UPDATE no action,
	CONSTRAINT "action_plans_owner_user_id_users_id_fk" FOREIGN KEY ("owner_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action,
	CONSTRAINT "action_plans_dates_chk" CHECK ("due_date" >= "start_date")
);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "action_plans_due_idx" ON "action_plans" USING btree ("status","due_date");--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "action_plan_branches" (
	"plan_id" uuid NOT NULL,
	"branch_id" uuid NOT NULL,
	CONSTRAINT "action_plan_branches_pk" PRIMARY KEY("plan_id","branch_id"),
	CONSTRAINT "action_plan_branches_plan_id_action_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."action_plans"("id") ON DELETE cascade ON UPDATE no action,
	CONSTRAINT "action_plan_branches_branch_id_branches_id_fk" FOREIGN KEY ("branch_id") REFERENCES "public"."branches"("id") ON DELETE no action ON UPDATE no action
);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "action_plan_branches_branch_idx" ON "action_plan_branches" USING btree ("branch_id");--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "action_plan_notifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"plan_id" uuid NOT NULL,
	"recipient" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"subject" text NOT NULL,
	"body" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "action_plan_notifications_idempotency_key_unique" UNIQUE("idempotency_key"),
	CONSTRAINT "action_plan_notifications_plan_id_action_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."action_plans"("id") ON DELETE cascade ON UPDATE no action
);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "action_plan_notifications_status_idx" ON "action_plan_notifications" USING btree ("status","created_at");
