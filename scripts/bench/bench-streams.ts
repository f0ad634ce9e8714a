import { randomUUID } from 'node:crypto';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

/**
 * JetStream streams of the benchmark's own. The broker may be shared (the machine's nats-server, other
 * engineers' tests): every stream and subject prefix the bench publishes to is named for this run and this
 * purpose, and deleted when the step is done, so nothing it publishes lands where someone else reads.
 */
export function benchStreamNames(purpose: string): { stream: string; prefix: string } {
  const suffix = randomUUID().slice(0, 8);
  return { stream: `BENCH_${purpose.toUpperCase()}_${suffix.toUpperCase()}`, prefix: `bench-${purpose}-${suffix}` };
}

async function withManager<T>(natsUrl: string, work: (jsm: JetStreamManager) => Promise<T>): Promise<T> {
  const nc = await connect({ servers: natsUrl.split(',').map((server) => server.trim()), name: 'hindsight-bench' });
  try {
    return await work(await jetstreamManager(nc));
  } finally {
    await nc.close();
  }
}

/** How many messages the stream holds: a step's proof that every publish it counted was stored. */
export function storedMessages(natsUrl: string, stream: string): Promise<number> {
  return withManager(natsUrl, async (jsm) => (await jsm.streams.info(stream)).state.messages);
}

/** Deletes the stream; one that is not there (the step failed before creating it) is no error. */
export function deleteStream(natsUrl: string, stream: string): Promise<void> {
  return withManager(natsUrl, async (jsm) => {
    await jsm.streams.delete(stream).catch((error: unknown) => {
      if (!(error instanceof Error && /not found/i.test(error.message))) throw error;
    });
  });
}
