CREATE TABLE "stream_snapshots" (
	"stream_id" text PRIMARY KEY NOT NULL,
	"stream_version" integer NOT NULL,
	"state_version" integer NOT NULL,
	"state" jsonb NOT NULL,
	"taken_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "command_results" ADD COLUMN "last_transaction_id" "xid8";--> statement-breakpoint
ALTER TABLE "command_results" ADD COLUMN "last_position" bigint;--> statement-breakpoint
-- Results recorded before this migration carry their consistency token ("<transaction id>.<position>") in
-- the result itself; move it to the new columns so a duplicate of an old command gets the same token.
UPDATE "command_results"
SET "last_transaction_id" = split_part("result"->>'token', '.', 1)::xid8,
    "last_position" = split_part("result"->>'token', '.', 2)::bigint
WHERE "result"->>'token' ~ '^[0-9]+\.[0-9]+$';
