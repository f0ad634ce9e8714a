CREATE TABLE "cart_lines" (
	"cart_id" text NOT NULL,
	"product_id" text NOT NULL,
	"name" text NOT NULL,
	"unit_price_cents" integer NOT NULL,
	"quantity" integer NOT NULL,
	"added_position" integer NOT NULL,
	CONSTRAINT "cart_lines_cart_id_product_id_pk" PRIMARY KEY("cart_id","product_id")
);
--> statement-breakpoint
CREATE TABLE "carts" (
	"cart_id" text PRIMARY KEY NOT NULL,
	"customer_id" text NOT NULL,
	"status" text NOT NULL,
	"order_id" text,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "customer_orders" (
	"order_id" text PRIMARY KEY NOT NULL,
	"customer_id" text NOT NULL,
	"status" text NOT NULL,
	"total_cents" integer NOT NULL,
	"item_count" integer NOT NULL,
	"summary" text NOT NULL,
	"placed_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "customers" (
	"customer_id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"email" text NOT NULL,
	"registered_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "daily_sales" (
	"day" date PRIMARY KEY NOT NULL,
	"order_count" integer NOT NULL,
	"revenue_cents" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "daily_sales_orders" (
	"order_id" text PRIMARY KEY NOT NULL,
	"day" date NOT NULL,
	"total_cents" integer NOT NULL,
	"cancelled" boolean NOT NULL
);
--> statement-breakpoint
CREATE TABLE "order_details" (
	"order_id" text PRIMARY KEY NOT NULL,
	"customer_id" text NOT NULL,
	"status" text NOT NULL,
	"lines" jsonb NOT NULL,
	"total_cents" integer NOT NULL,
	"placed_at" timestamp with time zone NOT NULL,
	"paid_at" timestamp with time zone,
	"payment_reference" text,
	"shipped_at" timestamp with time zone,
	"carrier" text,
	"tracking_number" text,
	"delivered_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"cancellation_reason" text
);
--> statement-breakpoint
CREATE TABLE "order_timeline" (
	"order_id" text NOT NULL,
	"stream_version" integer NOT NULL,
	"global_position" bigint NOT NULL,
	"event_type" text NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	"correlation_id" text NOT NULL,
	"actor" text NOT NULL,
	CONSTRAINT "order_timeline_order_id_stream_version_pk" PRIMARY KEY("order_id","stream_version")
);
--> statement-breakpoint
CREATE TABLE "catalog_products" (
	"product_id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text NOT NULL,
	"category" text NOT NULL,
	"price_cents" integer NOT NULL,
	"stock" integer NOT NULL,
	"listed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "customer_orders_customer_placed_idx" ON "customer_orders" USING btree ("customer_id","placed_at");--> statement-breakpoint
CREATE INDEX "order_timeline_correlation_idx" ON "order_timeline" USING btree ("correlation_id");--> statement-breakpoint
CREATE INDEX "catalog_products_category_name_idx" ON "catalog_products" USING btree ("category","name");