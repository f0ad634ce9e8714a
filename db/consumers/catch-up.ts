import { setTimeout as sleep } from 'node:timers/promises';
import { encodeToken, ensureCheckpoint, hasReached, readCheckpoint } from '../event-store';
import { consumerBatches, type BatchOptions, type ConsumerSource } from './batches';
import type { Consumer } from './consumer';

/**
 * Applies batches until the consumer has read past every event committed before the call: for start-up
 * (bring the read models up to the log before serving), tests, benchmarks and rebuilds, for any kind of
 * consumer. An empty read is not enough to stop: an append still running holds the reader's horizon back
 * (docs/event-store.md), so it waits until the checkpoint reaches the log's head, or
 * gives up after `timeoutMs` with an error that says why. Returns how many events it read past.
 */
export async function catchUp(
  source: ConsumerSource,
  consumer: Consumer,
  options: BatchOptions & { readonly timeoutMs?: number },
): Promise<number> {
  await ensureCheckpoint(source.orm, consumer.name);
  const head = await source.store.readHead();
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  const batches = consumerBatches(source, consumer, options);
  let total = 0;
  for (;;) {
    const { read } = await batches.next();
    total += read;
    if (read > 0) continue;
    if (!head || hasReached(await readCheckpoint(source.orm, consumer.name), head)) return total;
    if (Date.now() > deadline) {
      throw new Error(`${consumer.name} could not reach ${encodeToken(head)}: a long-running append holds the log's horizon.`);
    }
    await sleep(10);
  }
}
