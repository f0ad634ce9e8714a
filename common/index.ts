/**
 * What the browser genuinely shares with the server: pure values and functions, importing nothing but the
 * pure domain. Pages import this module and the API's types, never `db/`, `projections/` or `server/`
 * (the rule lives in .dependency-cruiser.cjs).
 */
export { orderStatuses, type OrderStatus } from '@/domain/order/state';
export { cardBrandName } from './card-brands';
export { compareLogPositions, decodeToken, hasReached } from './log-position';
export { priceBandKeys } from './price-bands';
export { correlationIdPattern, isStreamId, maxStreamIdLength, streamIdPattern } from './log-ids';
