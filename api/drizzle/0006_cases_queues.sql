-- The case jobs' queues (pg-boss): rule evaluation of a finished response, and the follow-up survey of a resolved case.
SELECT pgboss.create_queue('cases.dead', '{"policy":"standard","retentionMinutes":43200}'::json);
--> statement-breakpoint
SELECT pgboss.create_queue('cases.evaluate', '{"policy":"standard","retryLimit":5,"retryDelay":10,"retryBackoff":true,"expireInSeconds":300,"deadLetter":"cases.dead"}'::json);
--> statement-breakpoint
SELECT pgboss.create_queue('cases.follow-up', '{"policy":"standard","retryLimit":5,"retryDelay":60,"retryBackoff":true,"expireInSeconds":300,"deadLetter":"cases.dead"}'::json);
