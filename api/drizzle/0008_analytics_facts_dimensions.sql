-- Hand-written: the rollup is rebuilt on the next read, so it can be emptied before the new columns.
DELETE FROM "analytics_response_facts";--> statement-breakpoint
DELETE FROM "analytics_surveys";--> statement-breakpoint
ALTER TABLE "analytics_response_facts" ADD COLUMN "dimensions" double precision[] NOT NULL;--> statement-breakpoint
ALTER TABLE "analytics_response_facts" ADD COLUMN "csi" double precision;--> statement-breakpoint
ALTER TABLE "analytics_surveys" ADD COLUMN "signature" text NOT NULL;