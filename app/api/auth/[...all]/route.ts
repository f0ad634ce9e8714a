import { toNextJsHandler } from 'better-auth/next-js';
import { serverAuth } from '@/server/auth';

/** better-auth's endpoints (sign-up, sign-in, magic link, sign-out, session) under /api/auth. */
const handler = async (request: Request) => (await serverAuth()).handler(request);

export const { GET, POST } = toNextJsHandler(handler);
