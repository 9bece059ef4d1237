CREATE TABLE "analytics_dirty" (
	"response_id" uuid PRIMARY KEY NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analytics_response_facts" (
	"response_id" uuid PRIMARY KEY NOT NULL,
	"survey_id" uuid NOT NULL,
	"branch_id" uuid,
	"customer_id" uuid,
	"rental_id" uuid,
	"finished_at" timestamp with time zone NOT NULL,
	"values" smallint[] NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analytics_surveys" (
	"survey_id" uuid PRIMARY KEY NOT NULL,
	"slots" text[] NOT NULL,
	"built_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "analytics_response_facts" ADD CONSTRAINT "analytics_response_facts_response_id_responses_id_fk" FOREIGN KEY ("response_id") REFERENCES "public"."responses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analytics_surveys" ADD CONSTRAINT "analytics_surveys_survey_id_surveys_id_fk" FOREIGN KEY ("survey_id") REFERENCES "public"."surveys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "analytics_facts_survey_finished_idx" ON "analytics_response_facts" USING btree ("survey_id","finished_at");--> statement-breakpoint
CREATE INDEX "analytics_facts_branch_finished_idx" ON "analytics_response_facts" USING btree ("branch_id","finished_at");--> statement-breakpoint
-- Hand-written (drizzle has no triggers): list the responses whose answers or status changed, so the
-- analytics API can bring their analytics_response_facts rows up to date before it reads.
CREATE OR REPLACE FUNCTION "analytics_mark_answers_dirty"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO analytics_dirty (response_id) SELECT DISTINCT response_id FROM changed_rows ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION "analytics_mark_responses_dirty"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO analytics_dirty (response_id) SELECT id FROM changed_rows ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "analytics_answers_inserted" AFTER INSERT ON "answers" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION "analytics_mark_answers_dirty"();--> statement-breakpoint
CREATE TRIGGER "analytics_answers_updated" AFTER UPDATE ON "answers" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION "analytics_mark_answers_dirty"();--> statement-breakpoint
CREATE TRIGGER "analytics_answers_deleted" AFTER DELETE ON "answers" REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION "analytics_mark_answers_dirty"();--> statement-breakpoint
CREATE TRIGGER "analytics_responses_inserted" AFTER INSERT ON "responses" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION "analytics_mark_responses_dirty"();--> statement-breakpoint
CREATE TRIGGER "analytics_responses_updated" AFTER UPDATE ON "responses" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION "analytics_mark_responses_dirty"();
