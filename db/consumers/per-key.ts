/**
 * Runs `work` for every item, items of one key one after another in their order, different keys side by side
 * with at most `concurrency` at a time. For consumers whose effects are per entity (an order's process, its
 * payment): the log's order matters within an entity, and only there.
 *
 * Resolves when all are done; the first failure rejects, after the keys already started have finished, so
 * the batch is repeated whole (each consumer's effects are idempotent for that reason).
 */
export async function forEachByKey<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  const queue = [...groups.values()];
  let failure: { error: unknown } | null = null;
  const lane = async () => {
    for (let group = queue.shift(); group && !failure; group = queue.shift()) {
      try {
        for (const item of group) await work(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, lane));
  if (failure) throw (failure as { error: unknown }).error;
}
