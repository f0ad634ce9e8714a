import pino from 'pino';
import { env } from './env';

/** Structured logs (JSON lines) for the web server, the worker and the scripts. */
export const logger = pino({ level: env.LOG_LEVEL, base: undefined });
