import { z } from 'zod';

const stepMs = z.number().int().min(0).max(86_400_000);

/**
 * How the simulated warehouse works: how long each step takes and how often an item is not on the shelf. The
 * defaults are the process's (`npm run warehouse`): slow enough to watch an order move in the browser.
 */
export const knobsSchema = z.object({
  /** From the request to the picking, where a missing item is found. */
  pickMs: stepMs.default(2_000),
  /** From picking to packing. */
  packMs: stepMs.default(2_000),
  /** From packing until the parcel leaves with the carrier. */
  dispatchMs: stepMs.default(2_000),
  /** The share of orders in which an item is missing (0 in normal use; tests and demos raise it). */
  missingRate: z.number().min(0).max(1).default(0),
  carrier: z.string().min(1).max(60).default('Parcel Post'),
});

export type Knobs = z.infer<typeof knobsSchema>;
