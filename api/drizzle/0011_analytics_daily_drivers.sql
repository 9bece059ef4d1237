ALTER TABLE "analytics_daily" ADD COLUMN "driver_n" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "analytics_daily" ADD COLUMN "driver_sums" double precision[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "analytics_daily" ADD COLUMN "driver_products" double precision[] DEFAULT '{}' NOT NULL;