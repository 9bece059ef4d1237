-- Open feedback links (api/src/open-links): per branch, and optionally per vehicle or counter tag, a link
-- of a chosen survey that anyone may answer (a QR code on a poster or table card), without an invitation.
CREATE TABLE IF NOT EXISTS "open_links" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"survey_id" uuid NOT NULL REFERENCES "surveys"("id"),
	"branch_id" uuid NOT NULL REFERENCES "branches"("id"),
	"tag" text,
	"active" boolean DEFAULT true NOT NULL,
	"max_per_device" integer DEFAULT 1 NOT NULL,
	"max_per_address" integer DEFAULT 20 NOT NULL,
	"min_seconds" integer DEFAULT 5 NOT NULL,
	"created_by" uuid REFERENCES "users"("id") ON DELETE SET NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "open_links_slug_unique" UNIQUE("slug"),
	CONSTRAINT "open_links_limits_check" CHECK ("max_per_device" >= 1 AND "max_per_address" >= 1 AND "min_seconds" >= 0)
);--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "open_links_survey_branch_tag_uq" ON "open_links" ("survey_id", "branch_id", coalesce("tag", '')) WHERE "active";--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "open_links_branch_idx" ON "open_links" ("branch_id");--> statement-breakpoint
-- The responses that came through an open link: their channel is open_link in every analysis.
CREATE TABLE IF NOT EXISTS "open_link_responses" (
	"response_id" uuid PRIMARY KEY NOT NULL REFERENCES "responses"("id") ON DELETE CASCADE,
	"open_link_id" uuid NOT NULL REFERENCES "open_links"("id"),
	"tag" text,
	"rental_verified" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "open_link_responses_link_idx" ON "open_link_responses" ("open_link_id", "created_at");--> statement-breakpoint
-- Answers per device (cookie) and per client address, per link and company day: shared by every process.
CREATE TABLE IF NOT EXISTS "open_link_counters" (
	"open_link_id" uuid NOT NULL REFERENCES "open_links"("id") ON DELETE CASCADE,
	"kind" text NOT NULL,
	"key_hash" text NOT NULL,
	"day" date NOT NULL,
	"answers" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "open_link_counters_pk" PRIMARY KEY("open_link_id", "kind", "key_hash", "day"),
	CONSTRAINT "open_link_counters_kind_check" CHECK ("kind" IN ('device', 'address'))
);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "open_link_counters_day_idx" ON "open_link_counters" ("day");--> statement-breakpoint
-- The invitation emails that carried the recommendation scale (0–10 as links), and the score clicked.
CREATE TABLE IF NOT EXISTS "email_first_question" (
	"invitation_id" uuid PRIMARY KEY NOT NULL REFERENCES "invitations"("id"),
	"question_id" text NOT NULL,
	"shown_at" timestamp with time zone DEFAULT now() NOT NULL,
	"score" smallint,
	"clicked_at" timestamp with time zone,
	"clicks" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "email_first_question_score_check" CHECK ("score" IS NULL OR "score" BETWEEN 0 AND 10)
);
