import { randomUUID } from 'node:crypto';
import type { Client } from '@elastic/elasticsearch';
import { eq } from 'drizzle-orm';
import { afterAll } from 'vitest';
import { catchUp, type BatchOptions } from '@/db/consumers';
import type { LogPosition } from '@/db/event-store';
import { consumerCheckpoints } from '@/db/schema/event-store';
import type { TestContext } from '@/db/testing-hooks';
import type { ShopEventType } from '@/domain';
import { createSearchClient } from './client';
import { searchConsumer } from './indexing';
import type { SearchProjection } from './projection';
import { dropIndex, type SearchIndex } from './search-index';

/**
 * Shared by the Elasticsearch read-model specs. They all run against the one real node, so each spec file
 * works under its own index prefix and removes its indices when it is done.
 */

/** A prefix no other spec file (or earlier run) uses; lowercase, as index names must be. */
export function testIndexPrefix(): string {
  return `test_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
}

/** The spec file's client; after its last test, drops `indices` and closes the client. */
export function useSearchClient(...indices: readonly SearchIndex[]): Client {
  // The suite's node: scripts/test.sh starts it and exports its address (test configuration, not the app's).
  const client = createSearchClient(process.env.ELASTICSEARCH_URL || 'http://127.0.0.1:9200');
  afterAll(async () => {
    for (const index of indices) await dropIndex(client, index);
    await client.close();
  });
  return client;
}

/** Small batches, so a catch-up spans several bulk requests and checkpoints. */
export const smallSearchBatches: BatchOptions = { batchSize: 3 };

/** Catches a search projection up with the whole log, as the engine runs it; returns how many events it read. */
export function projectSearch<Doc extends object, T extends ShopEventType>(
  ctx: TestContext,
  client: Client,
  projection: SearchProjection<Doc, T>,
  options: BatchOptions = smallSearchBatches,
): Promise<number> {
  return catchUp(ctx.source, searchConsumer(client, projection), options);
}

/**
 * Moves a consumer's checkpoint back, as a crash after Elasticsearch acknowledged a batch but before the
 * checkpoint was written would leave it.
 */
export async function moveCheckpointBack(ctx: TestContext, consumer: string, to: LogPosition): Promise<void> {
  await ctx.db.orm
    .update(consumerCheckpoints)
    .set({ transactionId: to.transactionId, position: to.position })
    .where(eq(consumerCheckpoints.consumer, consumer));
}

/** A document as Elasticsearch stores it, with the external version it was written under. */
export async function storedDocument<Doc>(client: Client, index: SearchIndex, id: string) {
  const found = await client.get<Doc>({ index: index.alias, id });
  return { version: found._version, doc: found._source };
}
