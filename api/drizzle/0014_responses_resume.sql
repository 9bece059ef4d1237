-- Where a customer continues an unfinished response: the page they were on at the last save, and the
-- furthest page shown to them (a reopened link never lands past a page they have not seen).
ALTER TABLE "responses" ADD COLUMN IF NOT EXISTS "resume_page" integer;--> statement-breakpoint
ALTER TABLE "responses" ADD COLUMN IF NOT EXISTS "furthest_page" integer;
