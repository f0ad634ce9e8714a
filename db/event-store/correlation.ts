import type { SqlExecutor } from '../sql';
import { columns, toStoredEvent, type EventRecord } from './read';
import type { EventCodec } from './schemas';
import type { StoredEvent } from './types';

/**
 * Everything that happened because of what happened to some streams: the events of `streamIds`, and every
 * event anywhere in the log that carries one of their correlation ids, in log position order. For an order,
 * given its own streams (order, fulfillment process, payment, shipment), that is the checkout's whole chain
 * (the cart's checkout, the fraud check, timers, every step) and the chains of later actions on it (the
 * shopper's cancellation, a staff retry), which carry correlation ids of their own.
 *
 * No index serves a lookup by correlation id: every append pays for every index on the log
 * (docs/event-store.md), and this is an operator's occasional question. The scan is bounded below instead, by
 * the primary key: an event of one of these chains was appended by a transaction that had read the event it
 * reacts to, and an append is one statement whose transaction writes the log first (migration 0012), so it got
 * its id after that event committed, a higher one. No event of the chains lies below the oldest transaction of
 * the given streams, and the scan reads the log from there on: little for a recent order, more for an old one
 * in a long log. A client-chosen correlation id reused before the order is therefore not followed backwards.
 */
export async function readCorrelatedEvents(
  db: SqlExecutor,
  codec: EventCodec,
  streamIds: readonly string[],
): Promise<StoredEvent[]> {
  const records = await db.query<EventRecord>(
    `with own as materialized (
       select transaction_id, metadata->>'correlationId' as correlation_id
       from events
       where stream_id = any(array(select json_array_elements_text($1::text::json)))),
     chains as materialized (
       select min(transaction_id) as since, array_agg(distinct correlation_id) as ids from own)
     select ${columns}
     from events, chains
     where events.transaction_id >= chains.since
       and (events.metadata->>'correlationId' = any(chains.ids)
            or events.stream_id = any(array(select json_array_elements_text($1::text::json))))
     order by events.global_position`,
    [JSON.stringify(streamIds)],
  );
  return records.map((record) => toStoredEvent(record, codec));
}
