-- Dashboard views at national scale (issue 15, bench:analytics).
-- Comments are analysed when they arrive, not when topics are read: a statement-level trigger on answers
-- lists every response whose free text was written, changed or removed in text_analysis_pending; the
-- submit and open-link paths analyse in the same transaction (and take their response off the list),
-- the text back-fill job (api/src/text/text.jobs.ts) works through the rest (imports, SQL loads, erasures),
-- and a lexicon edit lists every analysed response again.
CREATE TABLE IF NOT EXISTS "text_analysis_pending" (
	"response_id" uuid PRIMARY KEY NOT NULL REFERENCES "responses"("id") ON DELETE CASCADE
);
--> statement-breakpoint
CREATE OR REPLACE FUNCTION "text_mark_new_pending"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO text_analysis_pending (response_id)
  SELECT DISTINCT response_id FROM changed_rows WHERE item_id IS NULL AND value_text IS NOT NULL
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION "text_mark_changed_pending"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO text_analysis_pending (response_id)
  SELECT response_id FROM old_rows WHERE item_id IS NULL AND value_text IS NOT NULL
  UNION
  SELECT response_id FROM new_rows WHERE item_id IS NULL AND value_text IS NOT NULL
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- A deleted answer's response may be deleted in the same statement (cascade): only live responses are listed.
CREATE OR REPLACE FUNCTION "text_mark_removed_pending"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO text_analysis_pending (response_id)
  SELECT DISTINCT o.response_id FROM old_rows o
  WHERE o.item_id IS NULL AND o.value_text IS NOT NULL AND EXISTS (SELECT 1 FROM responses r WHERE r.id = o.response_id)
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "text_answers_inserted" AFTER INSERT ON "answers" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION "text_mark_new_pending"();
--> statement-breakpoint
CREATE TRIGGER "text_answers_updated" AFTER UPDATE ON "answers" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "text_mark_changed_pending"();
--> statement-breakpoint
CREATE TRIGGER "text_answers_deleted" AFTER DELETE ON "answers" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "text_mark_removed_pending"();
--> statement-breakpoint
-- What read-time analysis used to catch: comments never analysed, or analysed under an older lexicon.
INSERT INTO text_analysis_pending (response_id)
SELECT DISTINCT a.response_id FROM answers a
JOIN responses r ON r.id = a.response_id AND r.status = 'finished'
LEFT JOIN response_text rt ON rt.response_id = a.response_id
WHERE a.item_id IS NULL AND a.value_text IS NOT NULL AND btrim(a.value_text) <> ''
  AND (rt.response_id IS NULL OR rt.lexicon_version < coalesce((SELECT version FROM text_lexicon_state WHERE id = 1), 1))
ON CONFLICT DO NOTHING;
--> statement-breakpoint
-- The response explorer's default order (newest first): the first page is read from this index instead of
-- sorting every response of the survey.
CREATE INDEX IF NOT EXISTS "responses_survey_newest_idx" ON "responses" USING btree ("survey_id", (coalesce("finished_at", "started_at")) DESC, "id");
--> statement-breakpoint
-- The survey pages count each survey's and each version's finished responses and invitations: index-only
-- counts instead of reading every response and invitation.
CREATE INDEX IF NOT EXISTS "responses_survey_done_idx" ON "responses" USING btree ("survey_id") WHERE "status" = 'finished';
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "responses_version_done_idx" ON "responses" USING btree ("survey_version_id") WHERE "status" = 'finished';
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "invitations_version_idx" ON "invitations" USING btree ("survey_version_id");
