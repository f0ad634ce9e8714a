import type { Client, estypes } from '@elastic/elasticsearch';

/**
 * A read model's index: a versioned physical index (`<alias>_v<version>`) behind an alias that queries and
 * writes use. A mapping change bumps the version, so a rebuild can fill the new index beside the old one and
 * swap the alias when it is done. The mapping names every field of the document type `Doc`, so the two cannot
 * drift apart (and `dynamic: 'strict'` makes Elasticsearch refuse a field the mapping does not know).
 */
export type SearchIndex<Doc extends object = object> = {
  readonly alias: string;
  readonly version: number;
  readonly mappings: estypes.MappingTypeMapping & {
    readonly properties: { readonly [Field in keyof Doc]-?: estypes.MappingProperty };
  };
  readonly settings?: estypes.IndicesIndexSettings;
};

export function physicalName(index: SearchIndex): string {
  return `${index.alias}_v${index.version}`;
}

const ensured = new WeakMap<Client, Set<string>>();
const promoted = new WeakMap<Client, Set<string>>();

/**
 * Creates the versioned index with its explicit mapping, and the alias if there is none yet (a first
 * install). When the alias already serves an older version, it stays there until `promote` moves it, once
 * the new index has caught up. Safe when several processes start at once: whoever loses the race to create
 * finds the index already there.
 */
export async function ensureIndex(client: Client, index: SearchIndex): Promise<void> {
  const name = physicalName(index);
  const done = ensured.get(client) ?? new Set<string>();
  ensured.set(client, done);
  if (done.has(name)) return;

  if (!(await client.indices.exists({ index: name }))) {
    try {
      await client.indices.create({
        index: name,
        mappings: index.mappings,
        settings: { number_of_shards: 1, number_of_replicas: 0, ...index.settings },
      });
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
    }
  }
  if (!(await client.indices.existsAlias({ name: index.alias }))) {
    await client.indices.updateAliases({ actions: [{ add: { index: name, alias: index.alias } }] });
  }
  done.add(name);
}

function isAlreadyExists(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'body' in error &&
    JSON.stringify(error.body).includes('resource_already_exists_exception')
  );
}

/**
 * Points the alias at this version's index, atomically, if it serves another. Called when the index has
 * caught up with the log, so readers switch from a complete old index to a complete new one.
 */
export async function promote(client: Client, index: SearchIndex): Promise<void> {
  const name = physicalName(index);
  // Only an index this process has ensured can take over, and only once: later calls cost nothing.
  const done = promoted.get(client) ?? new Set<string>();
  promoted.set(client, done);
  if (done.has(name) || !ensured.get(client)?.has(name)) return;
  const served = (await client.indices.existsAlias({ name: index.alias }))
    ? Object.keys(await client.indices.getAlias({ name: index.alias }))
    : [];
  if (!(served.length === 1 && served[0] === name)) {
    await client.indices.updateAliases({
      actions: [
        ...served.filter((old) => old !== name).map((old) => ({ remove: { index: old, alias: index.alias } })),
        { add: { index: name, alias: index.alias } },
      ],
    });
  }
  done.add(name);
}

/** Forgets that an index was ensured, after Elasticsearch said it no longer exists. */
export function forgetIndex(client: Client, index: SearchIndex): void {
  ensured.get(client)?.delete(physicalName(index));
  promoted.get(client)?.delete(physicalName(index));
}

/** Removes the index and its alias; for rebuilding from zero and for tests. */
export async function dropIndex(client: Client, index: SearchIndex): Promise<void> {
  await client.indices.delete({ index: physicalName(index), ignore_unavailable: true });
  forgetIndex(client, index);
}
