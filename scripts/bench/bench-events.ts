import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { EventMetadata, NewEvent } from '../../db/event-store';

/** What the append benchmarks write: shared by the bench process and the appending process it starts. */
export const benchMetadata: EventMetadata = { correlationId: 'bench', causationId: 'bench', actor: 'bench', source: 'bench' };

/** A small event, typical of the shop's (an id, a quantity, a price). */
export const benchEvent = (n: number): NewEvent => ({
  type: 'BenchItemAdded',
  data: { itemId: randomUUID(), quantity: 1 + (n % 5), unitPriceCents: 1250 },
});

/** The bench event's one version: the store checks every append against it, as it checks the shop's. */
export const benchSchemas = {
  BenchItemAdded: [{ schema: z.strictObject({ itemId: z.uuid(), quantity: z.number().int(), unitPriceCents: z.number().int() }) }],
};
