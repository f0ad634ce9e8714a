import { toNextJsHandler } from 'better-auth/next-js';
import { serverAuth } from '@/server/auth';

/**
 * better-auth's endpoints (sign-up, sign-in, magic link, sign-out, session) under /api/auth. It answers a path
 * or method none of them takes with an empty 404; that gets a body in better-auth's own error shape, as every
 * other refusal of the shop has one. Every method comes here, so a wrong one is not Next.js's empty 405.
 */
const handler = async (request: Request) => {
  const response = await (await serverAuth()).handler(request);
  if (response.status !== 404 || response.body) return response;
  const message = `There is no sign-in endpoint at ${new URL(request.url).pathname} that takes ${request.method}.`;
  return Response.json({ code: 'NOT_FOUND', message }, { status: 404 });
};

export const { GET, POST, PUT, PATCH, DELETE } = toNextJsHandler(handler);
