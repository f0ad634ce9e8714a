import { randomUUID } from 'node:crypto';
import type { Client } from '@elastic/elasticsearch';
import { eq } from 'drizzle-orm';
import { afterAll } from 'vitest';
import type { LogPosition } from '@/db/event-store';
import { projectionCheckpoints } from '@/db/schema/event-store';
import type { TestContext } from '@/db/testing-hooks';
import { env } from '@/server/env';
import { ensureCheckpoint } from '../checkpoints';
import type { BatchOptions } from '../runner';
import { createSearchClient } from './client';
import type { SearchProjection } from './projection';
import { projectSearchBatch } from './runner';
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
  // The suite's own node when nothing else is configured (scripts/test.sh starts it there).
  const client = createSearchClient(env.ELASTICSEARCH_URL ?? 'http://127.0.0.1:9200');
  afterAll(async () => {
    for (const index of indices) await dropIndex(client, index);
    await client.close();
  });
  return client;
}

/** Small batches, so a catch-up spans several bulk requests and checkpoints. */
export const smallSearchBatches: BatchOptions = { batchSize: 3 };

/** Runs batches of a search projection until it has read the whole log; returns how many events it read. */
export async function projectSearch(
  ctx: TestContext,
  client: Client,
  projection: SearchProjection,
  options: BatchOptions = smallSearchBatches,
): Promise<number> {
  await ensureCheckpoint(ctx.db.orm, projection.name);
  let total = 0;
  for (;;) {
    const { read } = await projectSearchBatch(ctx.db.orm, ctx.store, client, projection, options);
    if (read === 0) return total;
    total += read;
  }
}

/**
 * Moves a projection's checkpoint back, as a crash after Elasticsearch acknowledged a batch but before the
 * checkpoint was written would leave it.
 */
export async function rewindCheckpoint(ctx: TestContext, projection: string, to: LogPosition): Promise<void> {
  await ctx.db.orm
    .update(projectionCheckpoints)
    .set({ transactionId: to.transactionId, position: to.position })
    .where(eq(projectionCheckpoints.projection, projection));
}

/** A document as Elasticsearch stores it, with the external version it was written under. */
export async function storedDocument<Doc>(client: Client, index: SearchIndex, id: string) {
  const found = await client.get<Doc>({ index: index.alias, id });
  return { version: found._version, doc: found._source };
}
