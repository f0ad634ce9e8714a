import { ensureDatabase } from '@/db/admin';
import { connect } from '@/db/client';
import { paymentGatewaySettings, startPaymentGateway } from '@/services/payment-gateway';
import { env } from '../env';
import { logger } from '../logger';
import { startMetricsServer } from '../telemetry/metrics-server';
import { startTracing, stopTracing } from '../telemetry/tracing';

/**
 * `npm run payments`: the payment gateway simulator as a process of its own, the way the shop would meet a real
 * one: over HTTP only. Its tables live in the schema `payment_gateway` of PAYMENTS_DATABASE_URL (by default the
 * shop's DATABASE_URL), migrated on start. Ctrl-C or SIGTERM stops it: it stops accepting, ends held requests and
 * closes its pool.
 */
// The gateway's settings are its own (PAYMENTS_*), read here once as server/env.ts reads the shop's.
const settings = paymentGatewaySettings(process.env);
// Each charge a SERVER span continuing the shop's trace (services/payment-gateway/tracing.ts).
startTracing({ endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT, serviceName: 'hindsight-payments' });

await ensureDatabase(settings.databaseUrl);
const db = connect(settings.databaseUrl, { applicationName: 'hindsight-payments' });
const gateway = await startPaymentGateway({
  sql: db.sql,
  host: settings.host,
  port: settings.port,
  latencyMs: settings.latencyMs,
  latencyJitterMs: settings.latencyJitterMs,
  failureRate: settings.failureRate,
  timeoutHoldMs: settings.timeoutHoldMs,
  logger,
});
// The process's own figures (CPU, memory, event loop): the gateway is a service apart and knows nothing of ours.
const metricsServer =
  env.PAYMENTS_METRICS_PORT === undefined ? null : await startMetricsServer({ host: env.METRICS_HOST, port: env.PAYMENTS_METRICS_PORT });
logger.info(
  { url: gateway.url, metrics: metricsServer?.url ?? 'off (no PAYMENTS_METRICS_PORT)', latencyMs: settings.latencyMs, failureRate: settings.failureRate },
  'payment gateway listening',
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    logger.info({ signal }, 'payment gateway stopping');
    void stop();
  });
}

async function stop(): Promise<void> {
  await gateway.close();
  await metricsServer?.close();
  await db.close();
  await stopTracing();
  logger.info('payment gateway stopped');
}
