-- Text analytics: the editable topic lexicon (seeded from api/src/text/lexicon.defaults.ts at start-up when
-- empty) and, per finished response, the language, sentiment and other phrases of its comments and one row
-- per topic it mentions.
CREATE TABLE IF NOT EXISTS "text_topics" (
	"id" text PRIMARY KEY NOT NULL,
	"label_zh" text NOT NULL,
	"label_en" text NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "text_topic_terms" (
	"topic_id" text NOT NULL REFERENCES "text_topics"("id") ON DELETE CASCADE,
	"language" text NOT NULL CHECK ("language" IN ('zh', 'en')),
	"term" text NOT NULL,
	CONSTRAINT "text_topic_terms_pk" PRIMARY KEY ("topic_id", "language", "term")
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "response_text" (
	"response_id" uuid PRIMARY KEY NOT NULL REFERENCES "responses"("id") ON DELETE CASCADE,
	"language" text NOT NULL,
	"sentiment" double precision NOT NULL,
	"label" text NOT NULL,
	"phrases" text[] DEFAULT '{}' NOT NULL,
	"lexicon_version" bigint NOT NULL,
	"analysed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "response_topics" (
	"response_id" uuid NOT NULL REFERENCES "responses"("id") ON DELETE CASCADE,
	"topic_id" text NOT NULL REFERENCES "text_topics"("id") ON DELETE CASCADE,
	"sentiment" double precision NOT NULL,
	"label" text NOT NULL,
	"terms" text[] DEFAULT '{}' NOT NULL,
	CONSTRAINT "response_topics_pk" PRIMARY KEY ("response_id", "topic_id")
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "response_topics_topic_idx" ON "response_topics" ("topic_id", "response_id");
--> statement-breakpoint
-- One row: bumped on every lexicon edit; responses analysed under an older version are analysed again
-- (api/src/text/text.queries.ts, ensureTextAnalysis) before topics are read.
CREATE TABLE IF NOT EXISTS "text_lexicon_state" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL CHECK ("id" = 1),
	"version" bigint DEFAULT 1 NOT NULL
);
--> statement-breakpoint
INSERT INTO "text_lexicon_state" ("id", "version") VALUES (1, 1) ON CONFLICT DO NOTHING;
