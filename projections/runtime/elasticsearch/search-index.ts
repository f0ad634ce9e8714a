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

/**
 * This version's index as writes and the consumer name it: `<alias>_v<version>`. At first that is the physical
 * index itself; once a rebuild has swapped in a generation of it (`rebuildGeneration`), it is an alias of
 * that generation, so every write, read and refresh that names it reaches the live generation unchanged.
 */
export function physicalName(index: SearchIndex): string {
  return `${index.alias}_v${index.version}`;
}

/** A rebuild's new index for this version, filled beside the live one: `<alias>_v<version>_g<rebuild id>`. */
export function generationName(index: SearchIndex, rebuildId: number): string {
  return `${physicalName(index)}_g${rebuildId}`;
}

/** The physical indices a name stands for: the indices an alias points to, or the index itself. */
export async function concreteIndices(client: Client, name: string): Promise<string[]> {
  if (await client.indices.existsAlias({ name })) return Object.keys(await client.indices.getAlias({ name }));
  return (await client.indices.exists({ index: name })) ? [name] : [];
}

const ensured = new WeakMap<Client, Set<string>>();
const promoted = new WeakMap<Client, Set<string>>();

/**
 * Creates the versioned index with its explicit mapping, and the alias if there is none yet (a first
 * install). When the alias already serves an older version, it stays there until `promote` moves it, once
 * the new index has caught up. Safe when several processes start at once: whoever loses the race to create
 * finds the index already there. True when this call created the index.
 *
 * `alias: false` leaves the alias to `promote` even when none exists: an index made again after it was lost is
 * filled from the start of the log, and until it has caught up, searches should hear "catching up", not
 * answer from a few documents.
 */
export async function ensureIndex(client: Client, index: SearchIndex, options: { alias: boolean } = { alias: true }): Promise<boolean> {
  const name = physicalName(index);
  const done = ensured.get(client) ?? new Set<string>();
  ensured.set(client, done);
  if (done.has(name)) return false;

  let created = false;
  if (!(await client.indices.exists({ index: name }))) {
    try {
      await client.indices.create({
        index: name,
        mappings: index.mappings,
        settings: { number_of_shards: 1, number_of_replicas: 0, ...index.settings },
      });
      created = true;
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
    }
  }
  if (options.alias && !(await client.indices.existsAlias({ name: index.alias }))) {
    await client.indices.updateAliases({ actions: [{ add: { index: name, alias: index.alias } }] });
  }
  done.add(name);
  return created;
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
  // This version's live index, whichever generation of it that is.
  const live = await concreteIndices(client, name);
  if (!(served.length === live.length && served.every((index) => live.includes(index)))) {
    await client.indices.updateAliases({
      actions: [
        ...served.filter((old) => !live.includes(old)).map((old) => ({ remove: { index: old, alias: index.alias } })),
        ...live.map((current) => ({ add: { index: current, alias: index.alias } })),
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

/** Removes this version's index (whichever generation) and its aliases; for rebuilding from zero and for tests. */
export async function dropIndex(client: Client, index: SearchIndex): Promise<void> {
  const indices = await concreteIndices(client, physicalName(index));
  if (indices.length > 0) await client.indices.delete({ index: indices, ignore_unavailable: true });
  forgetIndex(client, index);
}

/** Creates a rebuild's new generation of this version's index, empty, with its mapping, refreshing only when told. */
export async function createGeneration(client: Client, index: SearchIndex, name: string): Promise<void> {
  await client.indices.delete({ index: name, ignore_unavailable: true });
  await client.indices.create({
    index: name,
    mappings: index.mappings,
    settings: { number_of_shards: 1, number_of_replicas: 0, ...index.settings },
  });
}

/**
 * Swaps a rebuilt generation in, in one alias update, which Elasticsearch applies atomically: the live
 * index of this version is deleted (`remove_index`), and both this version's name and the read alias point
 * at the new generation. A search sees the old index or the new one, never neither.
 */
export async function swapGeneration(client: Client, index: SearchIndex, name: string): Promise<void> {
  const version = physicalName(index);
  const live = (await concreteIndices(client, version)).filter((old) => old !== name);
  const readAliasServes = (await client.indices.existsAlias({ name: index.alias }))
    ? Object.keys(await client.indices.getAlias({ name: index.alias }))
    : [];
  await client.indices.updateAliases({
    actions: [
      ...live.map((old) => ({ remove_index: { index: old } })),
      // An older version's index the read alias still served (a version bump not yet promoted) stays, unserved.
      ...readAliasServes.filter((old) => !live.includes(old) && old !== name).map((old) => ({ remove: { index: old, alias: index.alias } })),
      { add: { index: name, alias: version } },
      { add: { index: name, alias: index.alias } },
    ],
  });
}
