import { createServer, type Server } from 'node:http';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catchUp } from '@/db/consumers';
import { countingConsumer, createApplicationsTable, note } from '@/db/consumers/testing';
import { decodeToken, encodeToken, hasReached } from '@/db/event-store';
import { useTestDatabase } from '@/db/testing-hooks';
import { followProgress } from './client';
import { progressHub, type Positions } from './hub';
import { progressStream } from './stream';

const ctx = useTestDatabase(async ({ db }) => {
  await db.sql.query(createApplicationsTable);
});

const readModel = countingConsumer('progress_read_model');
const staffOnly = countingConsumer('progress_staff_only');
let server: Server;
let url: string;

/** The stream served as the web server serves it, over node:http instead of Next.js. */
beforeAll(async () => {
  const hub = progressHub({ sql: ctx.db.sql, store: ctx.store, readModels: [readModel.name] });
  server = createServer((request, response) => {
    const aborted = new AbortController();
    response.on('close', () => aborted.abort());
    void progressStream(hub, aborted.signal).then((answer) => {
      response.writeHead(answer.status, Object.fromEntries(answer.headers));
      Readable.fromWeb(answer.body as NodeReadableStream<Uint8Array>).pipe(response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  url = `http://127.0.0.1:${address.port}/api/progress`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Follows the stream until `until` holds for what arrived (checked again after `onOpen`), or `timeoutMs` passes. */
async function follow(until: (received: Positions[]) => boolean, timeoutMs: number, onOpen?: () => Promise<void>) {
  const received: Positions[] = [];
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(), timeoutMs);
  const check = () => {
    if (until(received)) stop.abort();
  };
  let opened = false;
  await followProgress(
    url,
    (positions) => {
      received.push(positions);
      if (!opened) {
        opened = true;
        void onOpen?.().then(check);
      }
      check();
    },
    stop.signal,
  );
  clearTimeout(timer);
  return received;
}

describe('the progress stream', () => {
  it('sends the current positions at once, then the checkpoint a catch-up moves, within 200 ms', async () => {
    await note(ctx.store, `before-${crypto.randomUUID()}`);
    await catchUp(ctx.source, readModel, { batchSize: 100 });
    await catchUp(ctx.source, staffOnly, { batchSize: 100 });
    let target: string | null = null;
    let committedAt: number | null = null;
    let arrivedAt: number | null = null;
    const received = await follow(
      (all) => {
        const last = all.at(-1)?.[readModel.name];
        if (arrivedAt === null && target && last && hasReached(decodeToken(last)!, decodeToken(target)!)) arrivedAt = performance.now();
        return arrivedAt !== null && committedAt !== null;
      },
      5_000,
      async () => {
        target = encodeToken(await note(ctx.store, `after-${crypto.randomUUID()}`));
        await catchUp(ctx.source, readModel, { batchSize: 100 });
        await catchUp(ctx.source, staffOnly, { batchSize: 100 });
        committedAt = performance.now();
      },
    );
    expect(received[0]).toHaveProperty(readModel.name);
    expect(arrivedAt).not.toBeNull();
    // The catch-up's checkpoint committed before `committedAt`: the push may even arrive before it returns.
    expect(arrivedAt! - committedAt!).toBeLessThan(200);
    // Only the read models named: another consumer's checkpoint is not on the stream.
    for (const event of received) expect(Object.keys(event)).toEqual([readModel.name]);
  });

  it('gives a second browser the same positions from the one hub', async () => {
    const [first] = await follow(() => true, 5_000);
    const [second] = await follow(() => true, 5_000);
    expect(second).toEqual(first);
  });

  it('answers as an event stream the browser reconnects to', async () => {
    const stop = new AbortController();
    const response = await fetch(url, { signal: stop.signal });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('cache-control')).toContain('no-cache');
    const reader = response.body!.getReader();
    const { value } = await reader.read();
    expect(new TextDecoder().decode(value)).toMatch(/^retry: \d+\n\n/);
    stop.abort();
  });
});
