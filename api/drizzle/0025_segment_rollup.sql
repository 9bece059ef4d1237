-- The segment rollup (api/src/analytics/engine/segments.queries.ts): the cell and driver sums of the facts
-- per survey, branch, day or month, and one customer or rental segment at a time (kind 'all' = no segment,
-- month grain only: its days are analytics_daily). Dashboard calls with at most one segment read these rows
-- instead of one facts row per response.
CREATE TABLE "analytics_segments" (
	"survey_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"grain" text NOT NULL,
	"day" date NOT NULL,
	"branch_id" uuid,
	"value" text NOT NULL,
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
	"csat_top_box" integer NOT NULL,
	"driver_n" integer NOT NULL,
	"driver_sums" double precision[] NOT NULL,
	"driver_products" double precision[] NOT NULL,
	"item_driver_n" integer NOT NULL,
	"item_driver_sums" double precision[] NOT NULL,
	"item_driver_products" double precision[] NOT NULL,
	CONSTRAINT "analytics_segments_key_uq" UNIQUE NULLS NOT DISTINCT("survey_id","kind","grain","day","branch_id","value")
);
--> statement-breakpoint
ALTER TABLE "analytics_daily" ADD COLUMN "item_driver_n" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "analytics_daily" ADD COLUMN "item_driver_sums" double precision[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "analytics_daily" ADD COLUMN "item_driver_products" double precision[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "analytics_surveys" ADD COLUMN "segments_signature" text;--> statement-breakpoint
ALTER TABLE "analytics_surveys" ADD COLUMN "driver_sets" jsonb;--> statement-breakpoint
CREATE INDEX "analytics_facts_rental_idx" ON "analytics_response_facts" USING btree ("rental_id");--> statement-breakpoint
CREATE INDEX "analytics_facts_customer_idx" ON "analytics_response_facts" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "rentals_customer_unflagged_idx" ON "rentals" USING btree ("customer_id") WHERE "repeat_customer" IS NULL;--> statement-breakpoint
-- Hand-written (drizzle has no triggers): a response's segment is read from its customer and rental, so a
-- change there lists the response as changed, and the next read sums its days and months again.
CREATE OR REPLACE FUNCTION "analytics_mark_customer_dirty"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO analytics_dirty (response_id)
  SELECT f.response_id FROM analytics_response_facts f WHERE f.customer_id = NEW.id ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "analytics_customer_segment_updated" AFTER UPDATE OF "value_tier", "customer_type" ON "customers" FOR EACH ROW
  WHEN (OLD."value_tier" IS DISTINCT FROM NEW."value_tier" OR OLD."customer_type" IS DISTINCT FROM NEW."customer_type")
  EXECUTE FUNCTION "analytics_mark_customer_dirty"();--> statement-breakpoint
-- A rental without its new/returning flag is classified by the customer's earlier pick-ups
-- (distribution/segments.ts): moving a pick-up also changes the customer's other unflagged rentals.
CREATE OR REPLACE FUNCTION "analytics_mark_rental_dirty"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO analytics_dirty (response_id)
  SELECT f.response_id FROM analytics_response_facts f WHERE f.rental_id = NEW.id ON CONFLICT DO NOTHING;
  IF OLD.customer_id IS DISTINCT FROM NEW.customer_id OR OLD.picked_up_at IS DISTINCT FROM NEW.picked_up_at THEN
    INSERT INTO analytics_dirty (response_id)
    SELECT f.response_id FROM rentals x JOIN analytics_response_facts f ON f.rental_id = x.id
    WHERE x.customer_id IN (OLD.customer_id, NEW.customer_id) AND x.repeat_customer IS NULL ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "analytics_rental_segment_updated" AFTER UPDATE OF "vehicle_class", "booking_channel", "repeat_customer", "customer_id", "picked_up_at" ON "rentals" FOR EACH ROW
  WHEN (OLD."vehicle_class" IS DISTINCT FROM NEW."vehicle_class" OR OLD."booking_channel" IS DISTINCT FROM NEW."booking_channel"
        OR OLD."repeat_customer" IS DISTINCT FROM NEW."repeat_customer" OR OLD."customer_id" IS DISTINCT FROM NEW."customer_id"
        OR OLD."picked_up_at" IS DISTINCT FROM NEW."picked_up_at")
  EXECUTE FUNCTION "analytics_mark_rental_dirty"();--> statement-breakpoint
-- A rental added or removed changes the new/returning class of the customer's unflagged rentals (ingest
-- flags the rentals it stores, so this is a probe of an almost empty index).
CREATE OR REPLACE FUNCTION "analytics_mark_customer_rentals_dirty"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO analytics_dirty (response_id)
  SELECT f.response_id FROM rentals x JOIN analytics_response_facts f ON f.rental_id = x.id
  WHERE x.repeat_customer IS NULL AND x.customer_id IN (SELECT customer_id FROM changed_rows) ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "analytics_rentals_inserted" AFTER INSERT ON "rentals" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION "analytics_mark_customer_rentals_dirty"();--> statement-breakpoint
CREATE TRIGGER "analytics_rentals_deleted" AFTER DELETE ON "rentals" REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION "analytics_mark_customer_rentals_dirty"();
