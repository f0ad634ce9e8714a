import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerMalformedRequestsInJson } from './client-errors';

/** Requests Node's HTTP parser refuses, against a real HTTP server made as `next start` makes its own. */
let server: Server;
let port: number;

beforeAll(async () => {
  answerMalformedRequestsInJson();
  server = createServer((_, response) => response.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Sends raw bytes and reads everything the server answers before it closes the connection. */
function exchange(bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(bytes));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

function bodyOf(answer: string): { error: { json: { message: string; data: { httpStatus: number } } } } {
  return JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));
}

describe('requests that Node refuses before the app sees them', () => {
  it('answers headers over the limit with 431 and a JSON body', async () => {
    const answer = await exchange(`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
    expect(answer).toContain('Content-Type: application/json');
    expect(bodyOf(answer).error.json).toMatchObject({ message: "The request's headers are too large: at most 16 KiB in all.", data: { httpStatus: 431 } });
  });

  it('answers bytes that are not HTTP with 400 and a JSON body', async () => {
    const answer = await exchange('HELLO THERE\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(bodyOf(answer).error.json.message).toBe('The request could not be read as HTTP.');
  });

  it('leaves well-formed requests, and servers that handle these errors themselves, alone', async () => {
    expect(await exchange('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).toMatch(/^HTTP\/1\.1 200 OK[\s\S]*ok$/);
    const own = createServer();
    own.on('clientError', (_, socket) => socket.end('HTTP/1.1 400 Mine\r\n\r\n'));
    await new Promise<void>((resolve) => own.listen(0, '127.0.0.1', resolve));
    try {
      const answer = await new Promise<string>((resolve) => {
        const socket = connect((own.address() as { port: number }).port, '127.0.0.1', () => socket.end('NOT HTTP\r\n\r\n'));
        let text = '';
        socket.on('data', (chunk) => (text += chunk.toString()));
        socket.on('close', () => resolve(text));
      });
      expect(answer).toBe('HTTP/1.1 400 Mine\r\n\r\n');
    } finally {
      own.close();
    }
  });
});
