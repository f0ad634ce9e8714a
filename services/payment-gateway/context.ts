import type { IncomingMessage } from 'node:http';
import type { SqlClient } from '@/db/sql';
import type { Answer } from './http';

/** What every route works with: the database and the behaviour knobs, fixed when the gateway starts. */
export type GatewayContext = {
  readonly sql: SqlClient;
  readonly now: () => Date;
  /** In [0, 1): decides which requests fail (`failureRate`) and how much jitter each gets. */
  readonly random: () => number;
  readonly latencyMs: number;
  readonly latencyJitterMs: number;
  readonly failureRate: number;
  readonly timeoutHoldMs: number;
};

export type RouteRequest = {
  readonly req: IncomingMessage;
  /** The path's captured segments, decoded. */
  readonly params: readonly string[];
  /** Aborts when the client hangs up or the gateway closes: a held or delayed answer stops waiting. */
  readonly signal: AbortSignal;
};

export type Handler = (gateway: GatewayContext, request: RouteRequest) => Promise<Answer>;

/** The simulated processing time of a charge or refund. */
export function latencyOf(gateway: GatewayContext): number {
  return gateway.latencyMs + Math.floor(gateway.random() * gateway.latencyJitterMs);
}
