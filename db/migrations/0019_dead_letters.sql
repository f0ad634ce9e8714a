CREATE TABLE "dead_letters" (
	"id" serial PRIMARY KEY NOT NULL,
	"consumer" text NOT NULL,
	"kind" text NOT NULL,
	"target" text NOT NULL,
	"event_id" uuid NOT NULL,
	"event_type" text NOT NULL,
	"stream_id" text NOT NULL,
	"stream_version" integer NOT NULL,
	"global_position" bigint NOT NULL,
	"error" text NOT NULL,
	"detail" text,
	"attempts" integer DEFAULT 1 NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_by" text,
	"resolved_at" timestamp with time zone,
	CONSTRAINT "dead_letters_once" UNIQUE("consumer","target","event_id"),
	CONSTRAINT "dead_letters_resolved" CHECK (("dead_letters"."status" = 'open') = ("dead_letters"."resolved_at" is null))
);
--> statement-breakpoint
CREATE INDEX "dead_letters_status_idx" ON "dead_letters" USING btree ("status","recorded_at");--> statement-breakpoint
-- The documents recorded before dead letters had a status come over as open ones, with their stream read
-- from the log, so none is lost to the rename.
INSERT INTO "dead_letters" ("consumer", "kind", "target", "event_id", "event_type", "stream_id", "stream_version", "global_position", "error", "detail", "recorded_at", "last_attempt_at")
SELECT f."projection", 'document', f."document_id", f."event_id", f."event_type", e."stream_id", f."stream_version", f."global_position",
	coalesce(f."reason"::jsonb ->> 'type', 'refused by Elasticsearch') || ' (' || f."status" || ')', f."reason", f."recorded_at", f."recorded_at"
FROM "projection_failures" f JOIN "events" e ON e."event_id" = f."event_id";
--> statement-breakpoint
DROP TABLE "projection_failures";
