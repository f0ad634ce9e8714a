import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { env } from '@/server/env';
import { main, ScriptRefusal } from './main';

/**
 * Deletes the JetStream stream NATS_STREAM names (its messages and its durable consumers' positions), so a
 * suite starts from nothing. For throwaway streams only: it refuses one whose name does not say it is one.
 */
await main(async () => {
  if (!env.NATS_URL) throw new ScriptRefusal('Set NATS_URL to the broker whose throwaway stream to delete.');
  if (!/(_TEST|_E2E)(_|$)/.test(env.NATS_STREAM)) {
    throw new ScriptRefusal(`Refusing to delete the stream "${env.NATS_STREAM}": only streams named *_TEST or *_E2E are deleted.`);
  }
  const nc = await connect({ servers: env.NATS_URL.split(','), timeout: 5_000 });
  try {
    const jsm = await jetstreamManager(nc);
    const deleted = await jsm.streams.delete(env.NATS_STREAM).catch((error: unknown) => {
      if (error instanceof Error && /not found/i.test(error.message)) return false;
      throw error;
    });
    console.log(deleted ? `Stream ${env.NATS_STREAM} deleted.` : `Stream ${env.NATS_STREAM} did not exist.`);
  } finally {
    await nc.close();
  }
});
