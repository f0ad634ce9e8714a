import pino from 'pino';
import { env } from './env';

/** Structured logs (JSON lines) for the web server, the projector and the scripts. */
export const logger = pino({ level: env.LOG_LEVEL, base: undefined });
