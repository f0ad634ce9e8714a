-- Every consumer at a glance (db/consumers/samples.ts): each consumer's lag and read count sampled over the last
-- hour, for the status page's chart and throughput; and, on its checkpoint, the failed attempts since it began
-- failing and the count of events it has read (a counter, so throughput is exact where positions have gaps).
CREATE TABLE "consumer_lag_samples" (
	"consumer" text NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"sampled_at" timestamp with time zone DEFAULT now() NOT NULL,
	"events_read" bigint NOT NULL,
	"behind_events" integer NOT NULL,
	"lag_seconds" double precision NOT NULL,
	CONSTRAINT "consumer_lag_samples_pkey" PRIMARY KEY("consumer","bucket")
);
--> statement-breakpoint
ALTER TABLE "consumer_checkpoints" ADD COLUMN "failed_attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "consumer_checkpoints" ADD COLUMN "events_read" bigint DEFAULT 0 NOT NULL;
