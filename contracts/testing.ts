import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { OutgoingMessage } from './messages';
import { natsTransport, type IntegrationTransport } from './transport';

/** The broker the integration tests use: NATS_URL, or the local nats-server (scripts/nats.sh). */
export const testNatsUrl = process.env.NATS_URL || 'nats://127.0.0.1:4222';

/** A stream and subject prefix of the test's own, so runs never see each other's messages. */
export function testStreamNames(): { stream: string; prefix: string } {
  // With the run's id (scripts/test.sh), so a run that was killed leaves streams its id names.
  const suffix = [process.env.HINDSIGHT_TEST_RUN, randomUUID().slice(0, 8)].filter(Boolean).join('_');
  return { stream: `TEST_${suffix.toUpperCase()}`, prefix: `test-${suffix}` };
}

/** A JetStream transport on its own stream, and a cleanup that deletes the stream. */
export function testNatsTransport(names = testStreamNames(), servers = testNatsUrl): IntegrationTransport & { readonly names: typeof names } {
  const transport = natsTransport({ servers, ...names, name: `hindsight-test-${names.prefix}` });
  return Object.assign(transport, { names });
}

export async function deleteTestStream(stream: string, servers = testNatsUrl): Promise<void> {
  const nc = await connect({ servers });
  try {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.delete(stream).catch(() => {});
  } finally {
    await nc.close();
  }
}

/** A well-formed shipment request, for a fresh order unless one is given. */
export function shipmentRequest(orderId: string = randomUUID(), overrides: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return {
    id: randomUUID(),
    contract: 'shipment.requested',
    payload: {
      orderId,
      items: [{ productId: randomUUID(), name: 'Blue Mug', quantity: 2 }],
      shipTo: { name: 'Ada Lovelace', line1: '1 Analytical Street', postalCode: '3511 AA', city: 'Utrecht', country: 'NL' },
      requestedAt: new Date().toISOString(),
    },
    occurredAt: new Date().toISOString(),
    correlationId: randomUUID(),
    causationId: randomUUID(),
    ...overrides,
  } as OutgoingMessage;
}

export type LocalNatsServer = {
  readonly url: string;
  /** Starts it (again), on the same port and store: a restarted broker keeps its streams and consumers. */
  start(): Promise<void>;
  /** SIGKILL: the broker gone at once, as in a crash or a network partition. */
  kill(): Promise<void>;
};

/**
 * A nats-server of the test's own (Debian's `nats-server`, as scripts/nats.sh runs it) on a free port, for
 * tests that take the broker away: the machine's shared server is never stopped. Started on `start()`.
 */
export async function localNatsServer(storeDir: string): Promise<LocalNatsServer> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const url = `nats://127.0.0.1:${port}`;
  return {
    url,
    async start() {
      if (child) return;
      const started = spawn('nats-server', ['--jetstream', '--addr', '127.0.0.1', '--port', String(port), '--store_dir', storeDir], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = started;
      let output = '';
      const onData = (chunk: Buffer) => (output += chunk.toString());
      started.stdout?.on('data', onData);
      started.stderr?.on('data', onData);
      const deadline = Date.now() + 10_000;
      while (!/Server is ready/.test(output)) {
        if (started.exitCode !== null) throw new Error(`nats-server exited with ${started.exitCode}:\n${output}`);
        if (Date.now() > deadline) throw new Error(`nats-server did not start within 10 s:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async kill() {
      const running = child;
      child = null;
      if (!running || running.exitCode !== null) return;
      const exited = once(running, 'exit');
      running.kill('SIGKILL');
      await exited;
    },
  };
}

/** A port nothing listens on now (the kernel's choice), for a process a test starts. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
