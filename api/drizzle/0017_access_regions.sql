-- Regions: managed by administrators; every branch belongs to one, and regional managers see the branches
-- of their regions. branches.region stays as the region's code (what analytics, targeting and alert rules
-- filter and group by); a foreign key on (region_id, region) keeps it equal to regions.code.
CREATE TABLE IF NOT EXISTS "regions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"name_en" text,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "regions_code_unique" UNIQUE("code"),
	CONSTRAINT "regions_id_code_uq" UNIQUE("id","code")
);--> statement-breakpoint
-- The free-text regions of existing branches become region rows (named by their text until renamed).
INSERT INTO "regions" ("code", "name") SELECT DISTINCT "region", "region" FROM "branches" ON CONFLICT ("code") DO NOTHING;--> statement-breakpoint
ALTER TABLE "branches" ADD COLUMN IF NOT EXISTS "region_id" uuid;--> statement-breakpoint
UPDATE "branches" b SET "region_id" = r."id" FROM "regions" r WHERE r."code" = b."region" AND b."region_id" IS DISTINCT FROM r."id";--> statement-breakpoint
ALTER TABLE "branches" ALTER COLUMN "region_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "branches" DROP CONSTRAINT IF EXISTS "branches_region_fk";--> statement-breakpoint
ALTER TABLE "branches" ADD CONSTRAINT "branches_region_fk" FOREIGN KEY ("region_id","region") REFERENCES "public"."regions"("id","code") ON DELETE no action ON UPDATE cascade;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "branches_region_id_idx" ON "branches" USING btree ("region_id");--> statement-breakpoint
-- Writers that name a branch's region by its text (rental imports, older clients) keep working: the text
-- finds its region, or creates it. A branch given a region_id takes that region's code.
CREATE OR REPLACE FUNCTION "branches_region_sync"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.region_id IS NOT NULL AND (TG_OP = 'INSERT' OR NEW.region_id IS DISTINCT FROM OLD.region_id) THEN
		SELECT code INTO NEW.region FROM regions WHERE id = NEW.region_id;
	ELSIF TG_OP = 'INSERT' OR NEW.region IS DISTINCT FROM OLD.region THEN
		INSERT INTO regions (code, name) VALUES (NEW.region, NEW.region) ON CONFLICT (code) DO NOTHING;
		SELECT id INTO NEW.region_id FROM regions WHERE code = NEW.region;
	END IF;
	RETURN NEW;
END
$$;--> statement-breakpoint
DROP TRIGGER IF EXISTS "branches_region_sync" ON "branches";--> statement-breakpoint
CREATE TRIGGER "branches_region_sync" BEFORE INSERT OR UPDATE OF "region", "region_id" ON "branches" FOR EACH ROW EXECUTE FUNCTION "branches_region_sync"();--> statement-breakpoint
-- The regions a regional manager sees (all branches of each, including branches added later).
CREATE TABLE IF NOT EXISTS "user_regions" (
	"user_id" uuid NOT NULL,
	"region_id" uuid NOT NULL,
	CONSTRAINT "user_regions_user_id_region_id_pk" PRIMARY KEY("user_id","region_id")
);--> statement-breakpoint
ALTER TABLE "user_regions" DROP CONSTRAINT IF EXISTS "user_regions_user_id_users_id_fk";--> statement-breakpoint
ALTER TABLE "user_regions" ADD CONSTRAINT "user_regions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_regions" DROP CONSTRAINT IF EXISTS "user_regions_region_id_regions_id_fk";--> statement-breakpoint
ALTER TABLE "user_regions" ADD CONSTRAINT "user_regions_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "public"."regions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "user_regions_region_idx" ON "user_regions" USING btree ("region_id");
