import { currentTraceContext, type IntegrationTransport, type ReceivedMessage, type TransportProblem } from '@/contracts';
import { applyOnce } from './inbox';
import { knobsSchema } from './knobs';
import { silentLogger, type WarehouseLogger } from './logger';
import { startLoop } from './loop';
import { migrateWarehouse } from './migrate';
import { publisherPass, type Cause } from './outbox';
import { cancelShipment, requestShipment } from './shipments';
import type { WarehouseSql } from './sql';
import { stepPass } from './steps';

export type WarehouseOptions = {
  /** Any database: the warehouse keeps its tables in the schema `warehouse`, created on start. */
  readonly sql: WarehouseSql;
  /** Where the shop's requests come from and the outcomes go. */
  readonly transport: IntegrationTransport;
  readonly pickMs: number;
  readonly packMs: number;
  readonly dispatchMs: number;
  /** In [0, 1]: the share of orders in which picking finds an item missing. */
  readonly missingRate: number;
  /** Named in `shipment.dispatched` (default 'Parcel Post'). */
  readonly carrier?: string;
  readonly logger?: WarehouseLogger;
};

export type Warehouse = {
  /** Stops taking messages, finishes the ones in hand and the loops' passes under way. */
  stop(): Promise<void>;
};

/** The durable consumer's name: every warehouse process shares it, so each request goes to one of them. */
const consumerName = 'warehouse';

/**
 * Migrates the warehouse's schema, subscribes to the shop's shipment requests and starts its two loops: the
 * steps (picking, packing, dispatch, after their delays) and the outbox's publisher. Each is nudged right after
 * a commit that gives it work, and polls only as a fallback. The sql and the transport stay the caller's.
 */
export async function startWarehouse(options: WarehouseOptions): Promise<Warehouse> {
  const knobs = knobsSchema.parse({
    pickMs: options.pickMs,
    packMs: options.packMs,
    dispatchMs: options.dispatchMs,
    missingRate: options.missingRate,
    carrier: options.carrier,
  });
  const { sql, transport } = options;
  const logger = options.logger ?? silentLogger;
  await migrateWarehouse(sql);

  const publisher = startLoop({
    pass: publisherPass(sql, transport),
    logger,
    failing: 'warehouse cannot publish its outcomes; they wait in its outbox and are sent when the broker answers',
    recovered: 'warehouse publishing its outcomes again',
  });
  const steps = startLoop({
    pass: stepPass(sql, knobs, () => publisher.nudge()),
    logger,
    failing: 'warehouse cannot take the next steps of its shipments; retrying',
    recovered: 'warehouse taking the next steps of its shipments again',
  });

  async function handle(message: ReceivedMessage): Promise<void> {
    // A message that names no correlation starts one of its own.
    // The transport's span for this message is active here: its context goes with the shipment, and with the
    // answer the steps publish later, so the answer continues the request's trace.
    const cause: Cause = { messageId: message.id, correlationId: message.correlationId ?? message.id, ...currentTraceContext() };
    if (message.contract === 'shipment.requested') {
      const created = await applyOnce(sql, message, (tx) => requestShipment(tx, message.payload, cause, knobs.pickMs));
      if (created) steps.nudge();
    } else if (message.contract === 'shipment.cancellation-requested') {
      const answered = await applyOnce(sql, message, (tx) => cancelShipment(tx, message.payload.orderId, cause));
      if (answered) publisher.nudge();
    }
    // The filter brings the shop's shipment contracts only, and this version knows these two; a later one is
    // dead-lettered by the transport before it gets here.
  }

  const subscription = transport.subscribe({
    name: consumerName,
    filter: transport.subjects.filter('shop', 'shipment'),
    keyOf: (message) => message.payload.orderId,
    handle,
    onProblem: (problem) => logProblem(logger, problem),
  });

  let stopped: Promise<void> | undefined;
  return {
    stop() {
      stopped ??= (async () => {
        await subscription.stop();
        await steps.stop();
        await publisher.stop();
      })();
      return stopped;
    },
  };
}

function logProblem(logger: WarehouseLogger, problem: TransportProblem): void {
  switch (problem.kind) {
    case 'handler-failed':
      // The broker delivers it again; the inbox makes the retry safe.
      logger.warn({ err: problem.error, messageId: problem.messageId }, 'warehouse could not handle a message; it comes again');
      return;
    case 'dead-lettered':
      logger.warn({ subject: problem.subject, reason: problem.reason }, 'warehouse refused a message that breaks its contract');
      return;
    case 'subscription-failed':
      logger.warn({ err: problem.error }, 'warehouse subscription failed; subscribing again');
      return;
  }
}
