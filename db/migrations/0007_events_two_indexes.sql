-- The log keeps one index per reader and no other (db/schema/event-store.ts, docs/event-store.md): the
-- primary key becomes the global reader's (transaction_id, global_position), which replaces its separate
-- index, and event_id, which nothing looks up, loses its unique index.
ALTER TABLE "events" DROP CONSTRAINT "events_pkey";--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_pkey" PRIMARY KEY("transaction_id","global_position");--> statement-breakpoint
DROP INDEX "events_transaction_position_idx";--> statement-breakpoint
ALTER TABLE "events" DROP CONSTRAINT "events_event_id_unique";
