import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

/**
 * Does a nats-server with JetStream answer at NATS_URL? Exit 0 if so (printing its version and JetStream's
 * usage, unless --quiet), 1 with the reason if not. scripts/nats.sh uses it to decide whether to start one.
 */
const url = process.env.NATS_URL || 'nats://127.0.0.1:4222';
const quiet = process.argv.includes('--quiet');
try {
  const nc = await connect({ servers: url.split(','), timeout: 2_000, maxReconnectAttempts: 0 });
  try {
    const jsm = await jetstreamManager(nc, { timeout: 2_000 });
    const account = await jsm.getAccountInfo();
    if (!quiet) console.log(`nats-server ${nc.info?.version ?? '?'} at ${url}: JetStream on, ${account.streams} streams, ${account.storage} bytes stored`);
  } finally {
    await nc.close();
  }
} catch (error) {
  if (!quiet) console.error(`No nats-server with JetStream at ${url}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
