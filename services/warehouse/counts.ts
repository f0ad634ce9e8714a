import { shipmentStatuses, type ShipmentStatus } from './shipments';
import type { WarehouseExecutor } from './sql';

export type WarehouseCounts = {
  readonly shipments: Readonly<Record<ShipmentStatus, number>>;
  /** Outcomes committed but not yet acknowledged by the broker, and since when the oldest has waited. */
  readonly outbox: { readonly unpublished: number; readonly oldestUnpublishedAt: string | null };
};

/**
 * The warehouse at a glance, for the shop's status page when it runs the warehouse in process: shipments by
 * status, and the outbox's backlog. A backlog that grows and ages says the broker is not taking the outcomes.
 */
export async function warehouseCounts(sql: WarehouseExecutor): Promise<WarehouseCounts> {
  const byStatus = await sql.query<{ status: ShipmentStatus; count: number }>(
    'select status, count(*)::integer as count from warehouse.shipments group by status',
  );
  const [outbox] = await sql.query<{ unpublished: number; oldest: Date | null }>(
    'select count(*)::integer as unpublished, min(created_at) as oldest from warehouse.outbox where published_at is null',
  );
  const shipments = Object.fromEntries(shipmentStatuses.map((status) => [status, 0])) as Record<ShipmentStatus, number>;
  for (const row of byStatus) shipments[row.status] = row.count;
  return {
    shipments,
    outbox: { unpublished: outbox?.unpublished ?? 0, oldestUnpublishedAt: outbox?.oldest?.toISOString() ?? null },
  };
}
