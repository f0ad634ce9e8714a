import pino, { type Logger } from 'pino';

/** What the warehouse logs through: a pino logger (the shop's, or the process's own). */
export type WarehouseLogger = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;

export const silentLogger: WarehouseLogger = pino({ level: 'silent' });
