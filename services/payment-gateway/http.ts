import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { idempotencyKeySchema } from './contract';

/**
 * The HTTP edge: reading a capped JSON body, validating it, and writing JSON answers. Every problem with a request
 * becomes an HttpError with a 4xx status and a stable code, so no input can reach the database unchecked or end
 * in a 500.
 */

/** Far above any real body (a card is under 100 bytes), and small enough that no client makes the gateway buffer much. */
export const maxBodyBytes = 16 * 1024;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Sent with the answer, such as Allow for a 405. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** What a route gives back: an answer to send, or `drop` to destroy the connection without one. */
export type Answer = { readonly status: number; readonly body: unknown } | { readonly drop: true };

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function errorBody(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}

/** Resolves to the body parsed as JSON; rejects with 413 past `maxBodyBytes` and 400 for anything not JSON. */
export function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (declared > maxBodyBytes) return refuse();
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', reject);
    // A client that hangs up mid-body: nobody is waiting for the answer, but the handler must not wait forever.
    req.once('close', () => {
      if (!req.complete) reject(new HttpError(400, 'request_aborted', 'The request body was cut off.'));
    });

    function onData(chunk: Buffer) {
      size += chunk.length;
      if (size > maxBodyBytes) refuse();
      else chunks.push(chunk);
    }
    function onEnd() {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        reject(new HttpError(400, 'invalid_json', 'The request body must be JSON.'));
      }
    }
    function refuse() {
      // The rest is read and thrown away rather than left unread, so the client gets the 413 instead of a reset
      // while it is still sending.
      req.off('data', onData);
      req.off('end', onEnd);
      req.resume();
      // Closing afterwards bounds what a client can make the gateway read and discard.
      const headers = { connection: 'close' };
      reject(new HttpError(413, 'body_too_large', `The request body may be at most ${maxBodyBytes} bytes.`, headers));
    }
  });
}

/** Parses `value` with `schema`, or refuses with 422 naming each problem (`amountCents: must be positive`). */
export function parseWith<Schema extends z.ZodType>(schema: Schema, value: unknown): z.infer<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) =>
    issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
  );
  throw new HttpError(422, 'invalid_request', problems.join('; '));
}

export function idempotencyKeyOf(req: IncomingMessage): string {
  const header = req.headers['idempotency-key'];
  if (header === undefined) {
    throw new HttpError(400, 'idempotency_key_missing', 'An Idempotency-Key header is required.');
  }
  const result = idempotencyKeySchema.safeParse(header);
  if (!result.success) {
    throw new HttpError(400, 'invalid_idempotency_key', result.error.issues.map((issue) => issue.message).join('; '));
  }
  return result.data;
}
