import type { ReceivedMessage } from '@/contracts';
import type { WarehouseExecutor, WarehouseSql } from './sql';

/**
 * Applies a message at most once. Its id goes into the inbox in the same transaction as its effect, so a repeat
 * (JetStream redelivering after a crash, or the shop publishing it again after the duplicate window) finds its
 * id there and changes nothing, and a crash before the commit leaves neither the id nor the effect. The broker
 * is acknowledged after the commit, so a message is never lost between the two.
 *
 * Resolves to what `apply` returned, or null for a repeat.
 */
export async function applyOnce<T>(
  sql: WarehouseSql,
  message: ReceivedMessage,
  apply: (tx: WarehouseExecutor) => Promise<T>,
): Promise<T | null> {
  return sql.transaction(async (tx) => {
    const fresh = await tx.query(
      `insert into warehouse.inbox (message_id, subject, contract, order_id, correlation_id)
       values ($1, $2, $3, $4, $5)
       on conflict (message_id) do nothing
       returning message_id`,
      [message.id, message.subject, message.contract, message.payload.orderId, message.correlationId],
    );
    return fresh.length > 0 ? apply(tx) : null;
  });
}
