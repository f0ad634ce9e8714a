import type { Migration } from './migration';

/**
 * The W3C trace context of the request a shipment answers, kept with the shipment and with each outcome waiting in
 * the outbox: the answer is published a step (or several, minutes) later, from another loop, and its publish span
 * continues the request's trace. Null for rows from before, and whenever the warehouse does not trace.
 */
export const traceContext: Migration = {
  id: '0002_trace_context',
  statements: [
    'alter table warehouse.shipments add column traceparent text, add column tracestate text',
    'alter table warehouse.outbox add column traceparent text, add column tracestate text',
  ],
};
