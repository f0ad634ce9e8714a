-- OrderPlaced v2 records where an order ships and its currency (docs/event-versioning.md). Orders already in
-- the read model were placed before either was recorded, which is exactly what the defaults say: no address,
-- USD. So the read model needs no rebuild; a rebuild from zero gives the same rows, through the upcaster.
ALTER TABLE "order_details" ADD COLUMN "currency" text DEFAULT 'USD' NOT NULL;--> statement-breakpoint
ALTER TABLE "order_details" ADD COLUMN "shipping_address" jsonb;