-- Indexes for the dashboards at national scale (issue 15, bench:analytics): the filter options list the
-- vehicle classes of the rentals with a skip scan over this index (a handful of index probes instead of
-- reading every rental).
CREATE INDEX IF NOT EXISTS "rentals_vehicle_class_idx" ON "rentals" USING btree ("vehicle_class");
