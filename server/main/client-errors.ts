import { Server } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * Requests that Node's HTTP parser refuses before Next.js sees them (headers over Node's 16 KiB limit, bytes
 * that are not HTTP, a request that took too long to arrive) are answered by Node with a bare status line
 * and no body. This gives them the JSON error body every other refusal of the shop has, with the same status.
 *
 * `next start` makes its HTTP server before our code runs and offers no hook for it, so this wraps the
 * servers' `emit` instead: Node answers a parse error itself only when no `clientError` listener took it
 * (`emit` returns false), and this takes it exactly then, answering as Node would have, in JSON.
 */
export function answerMalformedRequestsInJson(): void {
  const marker = Symbol.for('hindsight.clientErrors');
  const prototype = Server.prototype as Server & { [marker]?: true };
  if (prototype[marker]) return;
  prototype[marker] = true;
  const emit = prototype.emit;
  prototype.emit = function emitWithJsonClientErrors(this: Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'clientError' && this.listenerCount('clientError') === 0) {
      answer(args[0] as NodeJS.ErrnoException, args[1] as Duplex & { _httpMessage?: { headersSent?: boolean } });
      return true;
    }
    return (emit as (this: Server, ...all: unknown[]) => boolean).call(this, event, ...args);
  } as typeof prototype.emit;
}

const answers: Record<string, [status: number, reason: string, code: string, message: string]> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large', 'REQUEST_HEADER_FIELDS_TOO_LARGE', "The request's headers are too large: at most 16 KiB in all."],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', 'TIMEOUT', 'The request took too long to arrive.'],
};
const malformed: [number, string, string, string] = [400, 'Bad Request', 'BAD_REQUEST', 'The request could not be read as HTTP.'];

function answer(error: NodeJS.ErrnoException, socket: Duplex & { _httpMessage?: { headersSent?: boolean } }): void {
  // As Node does: answer only if nothing of a response has gone out on this connection yet.
  if (socket.writable && !socket._httpMessage?.headersSent && error.code !== 'ECONNRESET') {
    const [status, reason, code, message] = answers[error.code ?? ''] ?? malformed;
    const body = JSON.stringify({ error: { json: { message, code: -32600, data: { code, httpStatus: status } } } });
    socket.write(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
