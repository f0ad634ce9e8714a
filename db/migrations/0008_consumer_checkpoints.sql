-- Every reader of the log is now a consumer of one engine (db/consumers): read models today, process
-- managers, reactors and the broker relay next. Their checkpoints move to one table that also records each
-- consumer's last error, so an operator can see which one is failing and since when. Positions carry over,
-- so no read model is rebuilt by this migration.
CREATE TABLE "consumer_checkpoints" (
	"consumer" text PRIMARY KEY NOT NULL,
	"transaction_id" "xid8" NOT NULL,
	"position" bigint NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"last_error_at" timestamp with time zone,
	"failing_since" timestamp with time zone
);--> statement-breakpoint
INSERT INTO "consumer_checkpoints" ("consumer", "transaction_id", "position", "updated_at")
SELECT "projection", "transaction_id", "position", "updated_at" FROM "projection_checkpoints";--> statement-breakpoint
DROP TABLE "projection_checkpoints";
