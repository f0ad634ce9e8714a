CREATE TABLE "projection_rebuilds" (
	"id" serial PRIMARY KEY NOT NULL,
	"projections" text[] NOT NULL,
	"status" text NOT NULL,
	"reason" text NOT NULL,
	"versions" jsonb NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"holder" text,
	"heartbeat_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"transaction_id" "xid8" NOT NULL,
	"position" bigint NOT NULL,
	"events_done" bigint DEFAULT 0 NOT NULL,
	"events_total" bigint DEFAULT 0 NOT NULL,
	"cancel_requested_at" timestamp with time zone,
	"cancel_requested_by" text,
	"error" text,
	"verification" jsonb
);
--> statement-breakpoint
CREATE TABLE "read_model_versions" (
	"projection" text PRIMARY KEY NOT NULL,
	"version" integer NOT NULL,
	"built_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "projection_rebuilds_status_idx" ON "projection_rebuilds" USING btree ("status","requested_at");