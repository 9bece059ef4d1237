-- A reward earned while the programme's pool was empty: the customer is owed a code of that period and
-- gets the oldest code added to the pool later (codes imported or generated), sent as any reward is.
CREATE TABLE IF NOT EXISTS "reward_owed" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"programme_id" uuid NOT NULL,
	"response_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"branch_id" uuid,
	"period_start" date NOT NULL,
	"owed_at" timestamp with time zone NOT NULL,
	"code_id" uuid,
	"settled_at" timestamp with time zone,
	CONSTRAINT "reward_owed_programme_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."reward_programmes"("id") ON DELETE cascade,
	CONSTRAINT "reward_owed_response_fk" FOREIGN KEY ("response_id") REFERENCES "public"."responses"("id") ON DELETE cascade,
	CONSTRAINT "reward_owed_customer_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade,
	CONSTRAINT "reward_owed_branch_fk" FOREIGN KEY ("branch_id") REFERENCES "public"."branches"("id") ON DELETE set null,
	CONSTRAINT "reward_owed_code_fk" FOREIGN KEY ("code_id") REFERENCES "public"."reward_codes"("id") ON DELETE set null
);--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "reward_owed_customer_period_uq" ON "reward_owed" ("programme_id", "customer_id", "period_start");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "reward_owed_open_idx" ON "reward_owed" ("programme_id", "owed_at") WHERE "settled_at" IS NULL;
