import { z } from 'zod';

/**
 * The building blocks of the events' schemas. Every event type has a zod schema for each version ever
 * stored (see `EventVersions`); the event store validates an append against the current one and parses every
 * stored event with the one of its version, upcasting it to the current shape (docs/event-versioning.md).
 */

/** An instant as events record it: `Date.toISOString()`, always UTC. */
export const instant = z.iso.datetime();

/** An aggregate's id: a UUID in the shop, any short token in tests and imports. */
export const id = z.string().min(1).max(100);

/** Money is whole cents. */
export const cents = z.number().int();

/** A count of items. */
export const count = z.number().int();

/**
 * The versions ever stored of one event type, oldest first; the last is the current shape, the one
 * appends write. Each later version says how to bring the previous version's data up to it. A schema only
 * checks: no defaults, transforms or coercions, since the store hands on the stored data itself once its
 * schema has accepted it (the unit spec `event-schemas.unit.spec.ts` holds every schema to that).
 */
export type EventVersions = readonly [
  { readonly schema: z.ZodType<object> },
  ...{ readonly schema: z.ZodType<object>; readonly upcast: (previous: never) => object }[],
];

/** A later version of an event type: its schema, and how the previous version's data becomes it. */
export function laterVersion<Previous, Current extends object>(
  schema: z.ZodType<Current>,
  upcast: (previous: Previous) => Current,
): { readonly schema: z.ZodType<Current>; readonly upcast: (previous: Previous) => Current } {
  return { schema, upcast };
}
