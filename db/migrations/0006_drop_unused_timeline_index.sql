DROP INDEX IF EXISTS "order_timeline_correlation_idx";
