/**
 * The warehouse, a service of its own: it takes the shop's shipment requests from the broker and answers with
 * their outcomes (docs/warehouse.md). It knows the shop only through the published contracts (`@/contracts`).
 * The shop may run it in process, on its own database and transport; `main.ts` runs it as a process.
 */
export { startWarehouse, type Warehouse, type WarehouseOptions } from './warehouse';
export { warehouseCounts, type WarehouseCounts } from './counts';
export { shipmentStatuses, type ShipmentStatus } from './shipments';
export { postgresWarehouseSql, type WarehouseExecutor, type WarehouseSql } from './sql';
export type { WarehouseLogger } from './logger';
export { warehouseSettings, type WarehouseSettings } from './settings';
