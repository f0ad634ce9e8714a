CREATE TABLE "fulfillment_processes" (
	"order_id" text PRIMARY KEY NOT NULL,
	"customer_id" text NOT NULL,
	"status" text NOT NULL,
	"total_cents" integer NOT NULL,
	"parked_reason" text,
	"parked_since" timestamp with time zone,
	"held_inputs" integer DEFAULT 0 NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "order_progress" (
	"order_id" text NOT NULL,
	"global_position" bigint NOT NULL,
	"step" text NOT NULL,
	"message" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "order_progress_order_id_global_position_pk" PRIMARY KEY("order_id","global_position")
);
--> statement-breakpoint
ALTER TABLE "order_details" ADD COLUMN "card_brand" text;--> statement-breakpoint
ALTER TABLE "order_details" ADD COLUMN "card_last4" text;--> statement-breakpoint
ALTER TABLE "order_details" ADD COLUMN "refunded_cents" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "fulfillment_processes_parked_idx" ON "fulfillment_processes" USING btree ("parked_since");