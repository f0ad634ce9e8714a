import type { IncomingMessage, ServerResponse } from 'node:http';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';

/**
 * W3C trace context over the gateway's HTTP API, as a real gateway's SDK carries it: the client's CLIENT span
 * (`POST /v1/charges`) puts `traceparent` and `tracestate` in the request's headers, and the server answers inside
 * a SERVER span continuing it, so a checkout's trace shows the charge on both sides. Only @opentelemetry/api: the
 * process that runs either side installs a provider, or none. Without one the API's propagator is its no-op, whose
 * `fields()` is empty, and nothing here does more than that check.
 */
const tracer = () => trace.getTracer('hindsight-payment-gateway');

const tracingOn = () => propagation.fields().length > 0;

/** Runs a call inside a CLIENT span, with the span's context added to `headers`. */
export async function tracedCall<T extends { status: number }>(
  call: { readonly method: string; readonly route: string; readonly url: string },
  headers: Record<string, string>,
  send: () => Promise<T>,
): Promise<T> {
  if (!tracingOn()) return send();
  const url = new URL(call.url);
  const span = tracer().startSpan(`${call.method} ${call.route}`, {
    kind: SpanKind.CLIENT,
    attributes: {
      'http.request.method': call.method,
      'url.full': call.url,
      'url.template': call.route,
      'server.address': url.hostname,
      'server.port': Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
    },
  });
  propagation.inject(trace.setSpan(context.active(), span), headers);
  try {
    const reply = await send();
    span.setAttribute('http.response.status_code', reply.status);
    if (reply.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    return reply;
  } catch (error) {
    failed(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/** Serves a request inside a SERVER span continuing the caller's trace (a new one when its headers carry none). */
export function tracedRequest(req: IncomingMessage, res: ServerResponse, route: string | null, serve: () => Promise<void>): Promise<void> {
  if (!tracingOn()) return serve();
  const parent = propagation.extract(ROOT_CONTEXT, req.headers);
  const method = req.method ?? 'GET';
  const attributes = {
    'http.request.method': method,
    'url.path': (req.url ?? '/').split(/[?#]/, 1)[0] ?? '/',
    ...(route ? { 'http.route': route } : {}),
  };
  return tracer().startActiveSpan(route ? `${method} ${route}` : method, { kind: SpanKind.SERVER, attributes }, parent, async (span) => {
    try {
      await serve();
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    } catch (error) {
      failed(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

function failed(span: Span, error: unknown): void {
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}
