CREATE TABLE "projection_failures" (
	"id" serial PRIMARY KEY NOT NULL,
	"projection" text NOT NULL,
	"document_id" text NOT NULL,
	"event_id" uuid NOT NULL,
	"event_type" text NOT NULL,
	"global_position" bigint NOT NULL,
	"stream_version" integer NOT NULL,
	"status" integer NOT NULL,
	"reason" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "projection_failures_once" UNIQUE("projection","document_id","event_id")
);
--> statement-breakpoint
CREATE INDEX "projection_failures_projection_idx" ON "projection_failures" USING btree ("projection","recorded_at");