import type { Positions, ProgressHub } from './hub';

/**
 * A proxy or load balancer closes a connection that stays silent (nginx after 60 s by default); a comment
 * line every 15 s keeps it open and lets the browser notice a dead one.
 */
export const heartbeatMs = 15_000;

/** How soon the browser reconnects after the stream drops (EventSource's `retry:`); it polls meanwhile. */
export const reconnectMs = 2_000;

const encoder = new TextEncoder();

/** One server-sent event: `progress`, its data the read models that moved and their new checkpoints. */
function progressEvent(positions: Positions): Uint8Array {
  return encoder.encode(`event: progress\ndata: ${JSON.stringify(positions)}\n\n`);
}

/**
 * The SSE response of one browser: the `retry:` hint and every read model's checkpoint at once, then each
 * move as the hub sees it, and a heartbeat comment in between. Ends when the browser goes (`signal`).
 */
export async function progressStream(hub: ProgressHub, signal: AbortSignal): Promise<Response> {
  let send: ((chunk: Uint8Array) => void) | null = null;
  // A change before the stream starts is already in `positions`, which are read after it: nothing to queue.
  const { positions, unsubscribe } = await hub.subscribe((changed) => send?.(progressEvent(changed)));
  let heartbeat: NodeJS.Timeout | null = null;
  const close = () => {
    unsubscribe();
    if (heartbeat) clearInterval(heartbeat);
    heartbeat = null;
  };
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      send = (chunk) => {
        try {
          controller.enqueue(chunk);
        } catch {
          // The stream was closed under us (the browser went): stop feeding it.
          close();
        }
      };
      controller.enqueue(encoder.encode(`retry: ${reconnectMs}\n\n`));
      controller.enqueue(progressEvent(positions));
      heartbeat = setInterval(() => send?.(encoder.encode(': heartbeat\n\n')), heartbeatMs);
      const onAbort = () => {
        close();
        try {
          controller.close();
        } catch {
          // Already closed by the runtime.
        }
      };
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    },
    cancel: close,
  });
  return new Response(body, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // nginx buffers proxied responses unless told not to; an event held in a buffer is no push.
      'x-accel-buffering': 'no',
    },
  });
}
