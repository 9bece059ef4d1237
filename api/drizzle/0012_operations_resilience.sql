-- An import's runner holds a lease: which process runs it, and when it last said so. An import whose
-- heartbeat is older than the runner's limit was interrupted (kill -9, power loss) and is resumed from its
-- last committed batch by the next worker, instead of waiting for its queue job to expire.
ALTER TABLE "import_jobs" ADD COLUMN IF NOT EXISTS "runner_id" uuid;--> statement-breakpoint
ALTER TABLE "import_jobs" ADD COLUMN IF NOT EXISTS "heartbeat_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "import_jobs_running_idx" ON "import_jobs" ("heartbeat_at") WHERE "status" = 'running';
