/**
 * What the browser genuinely shares with the server: pure values and functions, importing nothing but the
 * pure domain. Pages import this module and the API's types, never `db/`, `projections/` or `server/`
 * (the rule lives in .dependency-cruiser.cjs).
 */
export { orderStatuses, type OrderStatus } from '@/domain/order/state';
export { compareLogPositions, decodeToken, encodeToken, hasReached, logStart, type LogPosition } from './log-position';
export { priceBandKeys, priceBands, type PriceBandKey } from './price-bands';
