CREATE TABLE "process_timers" (
	"timer_id" text PRIMARY KEY NOT NULL,
	"process" text NOT NULL,
	"process_id" text NOT NULL,
	"name" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"state" text NOT NULL,
	"correlation_id" text NOT NULL,
	"causation_id" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mailbox_messages" (
	"message_id" text PRIMARY KEY NOT NULL,
	"to" text NOT NULL,
	"subject" text NOT NULL,
	"text" text NOT NULL,
	"html" text NOT NULL,
	"kind" text NOT NULL,
	"order_id" text,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "process_timers_due_idx" ON "process_timers" USING btree ("due_at") WHERE "process_timers"."state" = 'scheduled';--> statement-breakpoint
CREATE INDEX "mailbox_messages_sent_idx" ON "mailbox_messages" USING btree ("sent_at");--> statement-breakpoint
CREATE INDEX "mailbox_messages_to_idx" ON "mailbox_messages" USING btree ("to","sent_at");