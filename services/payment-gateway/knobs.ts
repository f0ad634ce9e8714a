import { z } from 'zod';

/**
 * How the simulated gateway misbehaves on purpose, for demos and load or chaos tests. All off by default except the
 * timeout card's hold, which is as long as a real gateway's typical timeout.
 */
export const knobsSchema = z.object({
  /** Added before answering each charge and refund (after the work is done, as a slow network would). */
  latencyMs: z.number().int().min(0).max(60_000).default(0),
  /** Up to this much more, at random, per answer. */
  latencyJitterMs: z.number().int().min(0).max(60_000).default(0),
  /** The share of charge requests answered 503 before anything is read or stored. */
  failureRate: z.number().min(0).max(1).default(0),
  /** How long the timeout card holds a request before answering 504, unless the client gives up first. */
  timeoutHoldMs: z.number().int().min(0).max(600_000).default(30_000),
});

export type Knobs = z.infer<typeof knobsSchema>;
