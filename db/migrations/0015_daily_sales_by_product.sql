CREATE TABLE "daily_product_sales" (
	"day" date NOT NULL,
	"product_id" text NOT NULL,
	"name" text NOT NULL,
	"quantity" integer NOT NULL,
	"order_count" integer NOT NULL,
	"revenue_cents" bigint NOT NULL,
	CONSTRAINT "daily_product_sales_day_product_id_pk" PRIMARY KEY("day","product_id")
);
--> statement-breakpoint
-- Written by hand: daily_sales v2 (the projection's new name, daily_sales_v2) counts products too, which the
-- rows of v1 cannot tell, so it is rebuilt from the log. Its tables are emptied here, which also lets the new
-- NOT NULL column in; v1's checkpoint goes, and v2's starts at the beginning of the log on the next run.
TRUNCATE "daily_sales", "daily_sales_orders";--> statement-breakpoint
DELETE FROM "consumer_checkpoints" WHERE "consumer" = 'daily_sales';--> statement-breakpoint
ALTER TABLE "daily_sales_orders" ADD COLUMN "lines" jsonb NOT NULL;--> statement-breakpoint
CREATE INDEX "text_search_orders_placed_idx" ON "text_search_orders" USING btree ("placed_at");