import type { IntegrationTransport } from '@/contracts';
import type { Consumer } from '@/db/consumers';
import type { EventStore } from '@/db/event-store';
import { integrationRelay } from '@/integration/relay';
import { fulfillmentConsumer } from '@/processes/fulfillment/consumer';
import { paymentStepConsumer } from '@/processes/payments/consumer';
import { processTimersProjection } from '@/processes/timers/projection';
import { postgresReadModels, projections } from '@/projections';
import { runRebuildService } from '@/projections/runtime/rebuild/service';
import type { RebuildSource } from '@/projections/runtime/rebuild/rebuild';
import { newInstanceId } from '@/db/consumers';
import { logger } from '../logger';
import { clearRebuildProgress, setRebuildProgress } from '../telemetry/metrics';
import { fraudCheckConsumer } from '@/reactors/fraud-check/consumer';
import type { Mailer } from '@/reactors/notifications/mailer';
import { notificationsConsumer } from '@/reactors/notifications/consumer';
import type { PaymentGatewayClient } from '@/services/payment-gateway/client';
import { env } from '../env';
import { fulfillmentPolicy } from '../fulfillment-policy';
import type { Search } from '../search';
import { measuredConsumer } from '../telemetry/measured-consumer';

export type ShopServices = {
  readonly search: Search;
  readonly store: EventStore;
  readonly payments: PaymentGatewayClient;
  readonly mailer: Mailer;
  /** Where the relay publishes integration events (server/broker.ts). */
  readonly transport: IntegrationTransport;
};

/**
 * Every consumer of the log that a shop runs: the read models (PostgreSQL, and Elasticsearch or PostgreSQL
 * full text for search), the fulfillment process with its timers, the payment step that reaches the gateway,
 * the relay that publishes integration events (the warehouse's requests among them), and the reactors (fraud
 * check, mail). The worker process runs them, or the web server itself in zero-setup mode. Each is measured
 * (server/telemetry/measured-consumer.ts), so the process that runs it exports its batch metrics.
 */
export function shopConsumers(services: ShopServices): readonly Consumer[] {
  const { search, store, payments, mailer, transport } = services;
  const consumers: readonly Consumer[] = [
    ...projections,
    ...search.consumers,
    processTimersProjection,
    fulfillmentConsumer(store, fulfillmentPolicy()),
    paymentStepConsumer(store, payments),
    integrationRelay(transport),
    fraudCheckConsumer(store),
    notificationsConsumer({ store, mailer, staffEmail: env.STAFF_EMAIL }),
  ];
  return consumers.map(measuredConsumer);
}

/**
 * The rebuilds of the shop's PostgreSQL read models that this process runs beside its consumers: those a
 * version bump asks for at start, those staff start on the Status page, and any an instance that died left
 * half done. Their progress is exported with the process's metrics.
 */
export function runShopRebuilds(source: RebuildSource, search: Search, signal: AbortSignal): Promise<void> {
  return runRebuildService(source, postgresReadModels(search.kind), {
    search: search.client ? { client: search.client, indices: search.indices } : undefined,
    batchSize: env.REBUILD_BATCH_SIZE,
    delayMs: env.CONSUMER_DELAY_MS,
    instanceId: newInstanceId(),
    logger,
    signal,
    onProgress: ({ projections, done, total, phase }) => {
      for (const name of projections) {
        if (phase === 'building' || phase === 'swapping') setRebuildProgress(name, { done, total });
        else clearRebuildProgress(name);
      }
    },
  });
}
