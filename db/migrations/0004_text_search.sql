CREATE TABLE "text_search_orders" (
	"order_id" text PRIMARY KEY NOT NULL,
	"customer_id" text NOT NULL,
	"status" text NOT NULL,
	"product_names" text[] NOT NULL,
	"names_text" text NOT NULL,
	"item_count" integer NOT NULL,
	"total_cents" integer NOT NULL,
	"placed_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"document" "tsvector" GENERATED ALWAYS AS (to_tsvector('english', names_text)) STORED
);
--> statement-breakpoint
CREATE TABLE "text_search_products" (
	"product_id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text NOT NULL,
	"category" text NOT NULL,
	"price_cents" integer NOT NULL,
	"stock" integer NOT NULL,
	"listed_at" timestamp with time zone NOT NULL,
	"document" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('english', name), 'A') || setweight(to_tsvector('english', category), 'B') || setweight(to_tsvector('english', description), 'C')) STORED
);
--> statement-breakpoint
CREATE INDEX "text_search_orders_customer_placed_idx" ON "text_search_orders" USING btree ("customer_id","placed_at");--> statement-breakpoint
CREATE INDEX "text_search_orders_document_idx" ON "text_search_orders" USING gin ("document");--> statement-breakpoint
CREATE INDEX "text_search_products_document_idx" ON "text_search_products" USING gin ("document");