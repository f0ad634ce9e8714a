import { createHash } from 'node:crypto';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import lock from './fixtures/schemas.lock.json';
import { shopEventSchemas } from './index';

/**
 * Stored events are read for ever, so a registered version of an event's schema must never change: a change
 * of shape is a new version with an upcaster (docs/event-versioning.md). This spec holds that line:
 * - `schemas.lock.json` has a fingerprint of every registered version's schema; a version whose schema
 *   changed, or a version without one, fails here;
 * - every registered version has a fixture, a stored event of that version and the current shape it must
 *   read as, and the fixture reads as that through the version's schema and every upcaster after it.
 * The integration spec `projections/event-history.int.spec.ts` reads the same fixtures through the store.
 */
type Fixture = { type: string; schemaVersion: number; stored: unknown; current: unknown };

const fixtures = Object.values(
  import.meta.glob<Fixture>('./fixtures/events/*.json', { eager: true, import: 'default' }),
);

const registered = Object.entries(shopEventSchemas).flatMap(([type, versions]) =>
  versions.map((version, index) => ({ type, schemaVersion: index + 1, schema: version.schema as z.ZodType })),
);

/** The schema as JSON Schema, hashed: what the stored shape is, not how the code spells it. */
const fingerprint = (schema: z.ZodType) =>
  createHash('sha256').update(JSON.stringify(z.toJSONSchema(schema))).digest('hex').slice(0, 16);

/** A fixture's stored data, read as the store reads it: parsed with its version's schema, then upcast. */
function read(type: string, schemaVersion: number, stored: unknown): unknown {
  const versions = shopEventSchemas[type as keyof typeof shopEventSchemas] as readonly {
    schema: z.ZodType;
    upcast?: (previous: unknown) => unknown;
  }[];
  let data = versions[schemaVersion - 1]!.schema.parse(stored);
  for (const later of versions.slice(schemaVersion)) data = later.upcast!(data);
  return data;
}

describe('the shop event schemas', () => {
  it('have a fingerprint for every registered version, unchanged since it was registered', () => {
    const current = Object.fromEntries(registered.map(({ type, schemaVersion, schema }) => [`${type}.v${schemaVersion}`, fingerprint(schema)]));
    // On a failure, a changed fingerprint means a stored shape was edited: add a version instead. A new
    // version's fingerprint is added to the lock by hand, reviewed like the schema it locks.
    expect(current).toEqual(lock);
  });

  it.each(registered)('have a fixture of $type v$schemaVersion that reads as the current shape', ({ type, schemaVersion }) => {
    const fixture = fixtures.find((candidate) => candidate.type === type && candidate.schemaVersion === schemaVersion);
    expect(fixture, `domain/fixtures/events/${type}.v${schemaVersion}.json`).toBeDefined();
    const data = read(type, schemaVersion, fixture!.stored);
    expect(data).toEqual(fixture!.current);
    const versions = shopEventSchemas[type as keyof typeof shopEventSchemas];
    // What the upcasters make is exactly what the current schema accepts.
    expect(() => (versions[versions.length - 1]!.schema as z.ZodType).parse(data)).not.toThrow();
  });

  it('only check, never transform: what a schema accepts, it returns unchanged', () => {
    // The store hands on the stored object itself once its schema has accepted it (db/event-store/schemas.ts),
    // which is only right while no schema has a default, a transform or a coercion.
    for (const { type, schemaVersion, schema } of registered) {
      const fixture = fixtures.find((candidate) => candidate.type === type && candidate.schemaVersion === schemaVersion)!;
      expect(schema.parse(fixture.stored), `${type} v${schemaVersion}`).toEqual(fixture.stored);
    }
  });

  it('have no fixture of a version that is not registered', () => {
    const known = new Set(registered.map(({ type, schemaVersion }) => `${type}.v${schemaVersion}`));
    expect(fixtures.map(({ type, schemaVersion }) => `${type}.v${schemaVersion}`).filter((key) => !known.has(key))).toEqual([]);
  });

  it('refuse data that is not of their shape, at every version', () => {
    for (const { type, schemaVersion, schema } of registered) {
      const fixture = fixtures.find((candidate) => candidate.type === type && candidate.schemaVersion === schemaVersion)!;
      expect(schema.safeParse({ ...(fixture.stored as object), unexpected: true }).success, `${type} v${schemaVersion}`).toBe(false);
      expect(schema.safeParse({}).success, `${type} v${schemaVersion}`).toBe(false);
    }
  });
});
