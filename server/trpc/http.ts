/**
 * The API's HTTP edge: what every request to /api/trpc passes before tRPC reads it. It gives each request an
 * id (the `x-request-id` answer header, and the one a "something went wrong" message names), refuses wrong
 * methods (405) and oversized bodies (413) with the same JSON error body tRPC answers with, limits the calls
 * in one batch, and logs every refusal. What the calls carry is checked next, in server/trpc/init.ts.
 */
import { randomUUID } from 'node:crypto';
import { TRPCError, type TRPC_ERROR_CODE_KEY } from '@trpc/server';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import superjson from 'superjson';
import { maxCallsPerBatch, maxRequestBodyBytes } from '@/common/api-limits';
import { logger } from '@/server/logger';
import { appRouter } from '@/server/routers';
import { createTRPCContext, type CreateContextOptions } from './init';

export const apiEndpoint = '/api/trpc';

/** What a test passes in place of the server's own database, sign-in, search and gateway. */
export type ApiBackends = Pick<CreateContextOptions, 'database' | 'auth' | 'search' | 'payments'>;

const allowedMethods = ['GET', 'POST'];

/** Answers one HTTP request to the API. */
export async function handleApiRequest(request: Request, backends: ApiBackends = {}): Promise<Response> {
  const requestId = requestIdOf(request.headers);
  const refuse = (code: TRPC_ERROR_CODE_KEY, message: string, headers: Record<string, string> = {}) => {
    logger.info({ requestId, method: request.method, url: pathOf(request), code }, `API request refused: ${message}`);
    return errorResponse(new TRPCError({ code, message }), requestId, headers);
  };

  if (!allowedMethods.includes(request.method)) {
    return refuse('METHOD_NOT_SUPPORTED', `The API answers GET (queries) and POST (mutations), not ${request.method}.`, {
      allow: allowedMethods.join(', '),
    });
  }
  const body = request.method === 'POST' ? await readBody(request) : null;
  if (body === 'too large') {
    return refuse('PAYLOAD_TOO_LARGE', `A request's body may be at most ${maxRequestBodyBytes / 1024} KiB.`);
  }
  const response = await fetchRequestHandler({
    endpoint: apiEndpoint,
    req: body ? new Request(request.url, { method: 'POST', headers: request.headers, body }) : request,
    router: appRouter,
    maxBatchSize: maxCallsPerBatch,
    createContext: ({ resHeaders }) => createTRPCContext({ ...backends, headers: request.headers, resHeaders, requestId }),
    onError({ error, path, type }) {
      const status = getHTTPStatusCodeFromError(error);
      const details = { requestId, path, type, status, code: error.code };
      // The cause (a database's message, a stack) goes to the log only; the client's message names the id.
      if (status >= 500) logger.error({ ...details, err: error.cause ?? error }, 'API call failed');
      else logger.info({ ...details, message: error.message }, 'API call refused');
    },
  });
  response.headers.set('x-request-id', requestId);
  return response;
}

/** The caller's request id when it is a short token (a proxy's, say), else a fresh one. */
function requestIdOf(headers: Headers): string {
  const given = headers.get('x-request-id');
  return given && /^[A-Za-z0-9._:-]{1,64}$/.test(given) ? given : randomUUID();
}

function pathOf(request: Request): string {
  return new URL(request.url).pathname;
}

/**
 * The body, read no further than the limit: a Content-Length above it is refused unread, and a body sent
 * without one (chunked) is cut off once it passes the limit.
 */
async function readBody(request: Request): Promise<Blob | 'too large' | null> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (declared > maxRequestBodyBytes) return 'too large';
  if (!request.body) return null;
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxRequestBodyBytes) {
      await reader.cancel();
      return 'too large';
    }
    chunks.push(value);
  }
  return new Blob(chunks as BlobPart[]);
}

/** An error answered before tRPC runs, in the shape tRPC answers its own errors with. */
function errorResponse(error: TRPCError, requestId: string, headers: Record<string, string>): Response {
  const status = getHTTPStatusCodeFromError(error);
  const shape = {
    message: error.message,
    code: TRPC_ERROR_CODES_BY_KEY[error.code],
    data: { code: error.code, httpStatus: status, requestId },
  };
  return new Response(JSON.stringify({ error: superjson.serialize(shape) }), {
    status,
    headers: { 'content-type': 'application/json', 'x-request-id': requestId, ...headers },
  });
}
