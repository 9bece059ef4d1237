-- Branch management: branches can be deactivated (kept for history, no longer offered) and remember their last change.
ALTER TABLE "branches" ADD COLUMN IF NOT EXISTS "active" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "branches" ADD COLUMN IF NOT EXISTS "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
-- New vs returning is looked up by customer and pick-up time.
CREATE INDEX IF NOT EXISTS "rentals_customer_picked_up_idx" ON "rentals" USING btree ("customer_id","picked_up_at");
