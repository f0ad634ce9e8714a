import type { Handler } from './context';
import { getCharge, postCharge } from './charges';
import { HttpError } from './http';
import { getLedger } from './ledger';
import { postRefund } from './refunds';
import { postToken } from './tokens';

const getHealth: Handler = async () => ({ status: 200, body: { status: 'ok' } });

/** `name` is the path as a trace's span names it (routeNameOf). */
type Route = { readonly path: RegExp; readonly name: string; readonly methods: Readonly<Partial<Record<string, Handler>>> };

const routes: readonly Route[] = [
  { path: /^\/health$/, name: '/health', methods: { GET: getHealth } },
  { path: /^\/v1\/tokens$/, name: '/v1/tokens', methods: { POST: postToken } },
  { path: /^\/v1\/charges$/, name: '/v1/charges', methods: { POST: postCharge } },
  { path: /^\/v1\/charges\/([^/]+)$/, name: '/v1/charges/{idempotencyKey}', methods: { GET: getCharge } },
  { path: /^\/v1\/refunds$/, name: '/v1/refunds', methods: { POST: postRefund } },
  { path: /^\/v1\/ledger$/, name: '/v1/ledger', methods: { GET: getLedger } },
];

/** The route a request's path matches, by name (`/v1/charges/{idempotencyKey}`); null for none. */
export function routeNameOf(url: string | undefined): string | null {
  const path = (url ?? '/').split(/[?#]/, 1)[0] ?? '/';
  return routes.find((route) => route.path.test(path))?.name ?? null;
}

/** The handler for a request line and the path's decoded segments; 404, 405 or 400 (a malformed %-escape) otherwise. */
export function routeOf(method: string | undefined, url: string | undefined): { handler: Handler; params: string[] } {
  const path = (url ?? '/').split(/[?#]/, 1)[0] ?? '/';
  for (const route of routes) {
    const match = route.path.exec(path);
    if (!match) continue;
    // Own properties only: a method named like an Object.prototype member must not find one.
    const handler = method && Object.hasOwn(route.methods, method) ? route.methods[method] : undefined;
    if (!handler) {
      const allow = Object.keys(route.methods).join(', ');
      throw new HttpError(405, 'method_not_allowed', `${path} accepts ${allow} only.`, { allow });
    }
    return { handler, params: match.slice(1).map(decodeSegment) };
  }
  throw new HttpError(404, 'not_found', `There is no ${path}.`);
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, 'invalid_path', 'The path has a malformed %-escape.');
  }
}
