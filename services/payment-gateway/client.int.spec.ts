import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createPaymentGatewayClient,
  PaymentGatewayRejectedError,
  PaymentGatewayTimeoutError,
  PaymentGatewayUnavailableError,
} from './client';

/** The client against stand-ins that misbehave in ways the real gateway does not, to show each is typed. */
let server: Server | undefined;

async function standIn(listener: RequestListener) {
  server = createServer(listener);
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return createPaymentGatewayClient({ baseUrl: `http://127.0.0.1:${port}/`, timeoutMs: 300 });
}

async function stopStandIn() {
  const running = server;
  server = undefined;
  if (!running) return;
  running.closeAllConnections();
  await new Promise((resolve) => running.close(resolve));
}

afterEach(stopStandIn);

describe('payment gateway client', () => {
  it('takes an answer that breaks the contract for an unavailable gateway', async () => {
    const client = await standIn((_req, res) => res.end(JSON.stringify({ charges: 'many' })));
    await expect(client.ledger()).rejects.toBeInstanceOf(PaymentGatewayUnavailableError);
  });

  it('takes a page that is not JSON, such as a proxy’s, for an unavailable gateway', async () => {
    const client = await standIn((_req, res) => res.writeHead(502).end('<html>Bad gateway</html>'));
    await expect(client.ledger()).rejects.toMatchObject({ name: 'PaymentGatewayUnavailableError', status: 502 });
  });

  it('reports a refusal with its status and code', async () => {
    const client = await standIn((_req, res) =>
      res.writeHead(422).end(JSON.stringify({ error: { code: 'invalid_cvc', message: 'The cvc must be 3 or 4 digits.' } })),
    );
    const refusal = client.tokenize({ number: '4242424242424242', expiry: '12/40', cvc: '1' });
    await expect(refusal).rejects.toBeInstanceOf(PaymentGatewayRejectedError);
    await expect(refusal).rejects.toMatchObject({ status: 422, code: 'invalid_cvc' });
  });

  it('gives up after its timeout, even while the answer is still arriving', async () => {
    const client = await standIn((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"charges":');
    });
    await expect(client.ledger()).rejects.toBeInstanceOf(PaymentGatewayTimeoutError);
  });

  it('reports a refused connection as unavailable', async () => {
    // A port that was just free: nothing listens on it now.
    const client = await standIn((_req, res) => res.end());
    await stopStandIn();
    await expect(client.ledger()).rejects.toThrow(/ECONNREFUSED/);
    await expect(client.ledger()).rejects.toBeInstanceOf(PaymentGatewayUnavailableError);
  });
});
