-- Consumer leases and pauses (db/consumers/leases.ts): which engine instance runs each consumer, until when, and
-- whether staff paused it; and the live instances, so each takes only its fair share of the leases.
CREATE TABLE "consumer_instances" (
	"instance_id" text PRIMARY KEY NOT NULL,
	"consumers" text[] NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"heartbeat_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "consumer_leases" (
	"consumer" text PRIMARY KEY NOT NULL,
	"holder" text,
	"acquired_at" timestamp with time zone,
	"heartbeat_at" timestamp with time zone,
	"expires_at" timestamp with time zone DEFAULT now() NOT NULL,
	"paused_at" timestamp with time zone,
	"paused_by" text
);
