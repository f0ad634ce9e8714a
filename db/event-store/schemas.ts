import type { ZodType } from 'zod';
import { MalformedEventError, UnreadableEventError } from './errors';

/**
 * Events are kept forever, so their shapes outlive the code that wrote them. Every event type has a schema
 * for each version ever stored, oldest first; the last is the current one. An append is checked against the
 * current schema and stored with its version number; a read parses the stored data with the schema of the
 * version it was stored in and upcasts it, one version at a time, to the current shape, so code above the
 * store only ever sees current shapes and no stored row is ever rewritten. docs/event-versioning.md.
 */
export type StoredVersion = {
  readonly schema: ZodType<object>;
  /** From the previous version's data to this one's; the first version has none. */
  readonly upcast?: (previous: never) => object;
};

export type EventSchemas = { readonly [type: string]: readonly StoredVersion[] };

/** Where a stored event sits, for an error that must say which event could not be read. */
export type EventAddress = {
  readonly streamId: string;
  readonly streamVersion: number;
  readonly globalPosition?: number;
};

export type EventCodec = ReturnType<typeof eventCodec>;

export function eventCodec(schemas: EventSchemas) {
  const versionsOf = (type: string): readonly StoredVersion[] | undefined =>
    Object.hasOwn(schemas, type) ? schemas[type] : undefined;

  return {
    /**
     * Checks an event about to be appended against its type's current schema and says which version to store
     * it as. A bug that would store a malformed event fails here, before anything is written.
     */
    encode(type: string, data: unknown): number {
      const versions = versionsOf(type);
      if (!versions?.length) throw new MalformedEventError(type, `no schema is registered for ${type}`);
      const current = versions.length;
      const checked = versions[current - 1]!.schema.safeParse(data);
      if (!checked.success) throw new MalformedEventError(type, describeIssues(checked.error.issues));
      return current;
    },

    /** Checks stored data against the schema of the version it claims, for loading history as it was written. */
    check(type: string, schemaVersion: number, data: unknown): void {
      const schema = versionsOf(type)?.[schemaVersion - 1]?.schema;
      if (!schema) throw new MalformedEventError(type, `${type} has no version ${schemaVersion}`);
      const checked = schema.safeParse(data);
      if (!checked.success) throw new MalformedEventError(type, describeIssues(checked.error.issues));
    },

    /**
     * A stored event's data in its type's current shape: parsed with the schema of the version it was stored
     * in, then upcast step by step. An event that cannot be read (unknown type or version, data its schema
     * refuses) throws an UnreadableEventError naming the event, so a consumer stops at it rather than
     * skipping it, and a rebuild says where it stopped.
     */
    decode(type: string, schemaVersion: number, data: unknown, at: EventAddress): object {
      const versions = versionsOf(type);
      const stored = versions?.[schemaVersion - 1];
      if (!versions || !stored) {
        throw new UnreadableEventError(type, schemaVersion, at, versions ? `${type} has no version ${schemaVersion}` : `${type} is not a known event type`);
      }
      const parsed = stored.schema.safeParse(data);
      if (!parsed.success) throw new UnreadableEventError(type, schemaVersion, at, describeIssues(parsed.error.issues));
      // The parse is a check: event schemas never transform, so the stored object the driver already made is
      // the parsed value, and zod's copy is dropped at once. Holding the copy instead, for a whole batch of
      // thousands of events, cost rebuilds more in collecting it than the parse itself cost.
      let current: object = data as object;
      for (let next = schemaVersion; next < versions.length; next++) {
        // Each upcaster takes the previous version's shape, which `current` has just been brought to.
        current = (versions[next]!.upcast as (previous: object) => object)(current);
      }
      return current;
    },

    /** The current version of a type; 0 for a type that is not registered. */
    currentVersion: (type: string): number => versionsOf(type)?.length ?? 0,
  };
}

function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 5)
    .map((issue) => (issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}
