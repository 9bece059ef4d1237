-- Rate-limit counters shared by every app process: hits per key (a client address or a survey link's
-- token hash, prefixed by what is limited) and one-second bucket; rows older than the longest window are swept.
CREATE TABLE IF NOT EXISTS "rate_limit_hits" (
	"key" text NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"hits" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "rate_limit_hits_key_bucket_pk" PRIMARY KEY("key","bucket")
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "rate_limit_hits_bucket_idx" ON "rate_limit_hits" USING btree ("bucket");
--> statement-breakpoint
-- Sign-in lock-out per account and client address: the account a failed sign-in was for (a hash of the
-- email as typed, so unknown emails count alike).
ALTER TABLE "login_attempts" ADD COLUMN IF NOT EXISTS "account_key" text;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "login_attempts_account_at_idx" ON "login_attempts" USING btree ("account_key","at");
