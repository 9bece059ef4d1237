CREATE TABLE "analytics_daily" (
	"survey_id" uuid NOT NULL,
	"branch_id" uuid,
	"day" date NOT NULL,
	"responses" integer NOT NULL,
	"nps_n" integer NOT NULL,
	"promoters" integer NOT NULL,
	"detractors" integer NOT NULL,
	"csat_n" integer NOT NULL,
	"csat_top2" integer NOT NULL,
	"csat_sum" double precision NOT NULL,
	"item_n" integer[] NOT NULL,
	"item_sum" double precision[] NOT NULL,
	"dim_n" integer[] NOT NULL,
	"csi_n" integer NOT NULL,
	"csi_sum" double precision NOT NULL,
	"csi_sumsq" double precision NOT NULL,
	"pp_n" integer NOT NULL,
	"pp_sum" double precision NOT NULL,
	"pp_sumsq" double precision NOT NULL,
	"pp_any" integer NOT NULL,
	CONSTRAINT "analytics_daily_key_uq" UNIQUE NULLS NOT DISTINCT("survey_id","day","branch_id")
);
--> statement-breakpoint
ALTER TABLE "analytics_response_facts" DROP CONSTRAINT "analytics_response_facts_response_id_responses_id_fk";
--> statement-breakpoint
ALTER TABLE "analytics_surveys" ADD COLUMN "daily_signature" text;--> statement-breakpoint
-- Hand-written: a deleted response is listed too, so the next read drops its facts row and fixes its day.
CREATE TRIGGER "analytics_responses_deleted" AFTER DELETE ON "responses" REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION "analytics_mark_responses_dirty"();
