import type { MessagePort } from 'node:worker_threads';
import type { PGlite, QueryOptions, Results, Transaction } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import type { Database } from './client';
import { pgliteClient, type PGliteConnection } from './sql';

/**
 * The embedded database served to another thread. PGlite runs PostgreSQL on the thread that opened it, so
 * every statement, and every consumer batch projected beside it, takes turns with whatever else that thread
 * does. With EMBEDDED_THREAD the zero-setup web server opens PGlite in a worker thread of its own (with the
 * consumers), and its request-handling thread reaches it through this bridge over a MessagePort: pages and
 * commands keep their thread while the log is written and projected on the other core. What that costs is
 * in docs/run-modes.md.
 *
 * The far side looks like a PGlite to the near one (`query`, `transaction`, `listen`), so the event store's
 * SQL (db/sql.ts) and drizzle's PGlite driver run over it unchanged. What does not cross a thread as it is:
 * - A transaction is a conversation: `begin` opens one on the far side and names it, the statements carry
 *   the name, and `end` commits or rolls back. PGlite queues every other statement until it ends, exactly as
 *   in one thread, so nothing interleaves with it.
 * - Errors lose their own fields in a structured clone, and the event store tells a lost race from a broken
 *   statement by the PostgreSQL code and constraint: they are copied across by name.
 * - Parsers are functions. Drizzle passes some only to keep dates, intervals and numeric arrays as the text
 *   PostgreSQL sent; that is what the far side does for the type ids given.
 * - Notifications arrive as messages, one LISTEN per channel on the far side however many listen here.
 */

type Request =
  | { op: 'query'; tx: number | null; text: string; params: unknown[]; rowMode?: 'array' | 'object'; rawTypes: number[] }
  | { op: 'begin' }
  | { op: 'end'; tx: number; commit: boolean }
  | { op: 'listen'; channel: string }
  | { op: 'unlisten'; channel: string };

type Envelope = { id: number; request: Request };
type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: WireError };
type Notification = { notify: string };
type WireError = Record<(typeof errorFields)[number], unknown> & { message: string };

/** A DatabaseError's fields that callers read (db/sql.ts `databaseError`, pino's error serialiser). */
const errorFields = ['name', 'code', 'constraint', 'detail', 'severity', 'schema', 'table', 'column', 'hint', 'position'] as const;

/** Answers one thread's requests on `port` from `pg`, until the port closes. */
export function serveEmbedded(pg: PGlite, port: MessagePort): void {
  const transactions = new Map<number, { tx: Transaction; end: (commit: boolean) => Promise<void> }>();
  const listening = new Map<string, Promise<() => Promise<void>>>();
  let nextTransaction = 1;

  async function begin(): Promise<number> {
    const id = nextTransaction++;
    return new Promise<number>((opened, failed) => {
      let finish!: (commit: boolean) => void;
      const decided = new Promise<boolean>((resolve) => (finish = resolve));
      const done = pg.transaction(async (tx) => {
        transactions.set(id, {
          tx,
          end: async (commit) => {
            finish(commit);
            await done;
          },
        });
        opened(id);
        if (!(await decided)) await tx.rollback();
      });
      done.catch(failed).finally(() => transactions.delete(id));
    });
  }

  async function handle(request: Request): Promise<unknown> {
    switch (request.op) {
      case 'query': {
        const connection = request.tx === null ? pg : transactions.get(request.tx)?.tx;
        if (!connection) throw new Error(`transaction ${request.tx} is not open`);
        const options: QueryOptions = { rowMode: request.rowMode, parsers: Object.fromEntries(request.rawTypes.map((oid) => [oid, asText])) };
        const { rows, affectedRows, fields } = await connection.query(request.text, request.params, options);
        return { rows, affectedRows, fields };
      }
      case 'begin':
        return begin();
      case 'end': {
        const open = transactions.get(request.tx);
        if (!open) throw new Error(`transaction ${request.tx} is not open`);
        return open.end(request.commit);
      }
      case 'listen':
        if (!listening.has(request.channel)) {
          const started = pg.listen(request.channel, () => port.postMessage({ notify: request.channel } satisfies Notification));
          // A LISTEN that failed is forgotten, so the next one asks again.
          started.catch(() => listening.get(request.channel) === started && listening.delete(request.channel));
          listening.set(request.channel, started);
        }
        await listening.get(request.channel);
        return undefined;
      case 'unlisten': {
        const unlisten = listening.get(request.channel);
        listening.delete(request.channel);
        if (unlisten) await (await unlisten)();
        return undefined;
      }
    }
  }

  // The near side gone, a transaction it left open would hold PGlite for good: roll it back.
  port.on('close', () => {
    for (const open of transactions.values()) open.end(false).catch(() => {});
  });
  port.on('message', ({ id, request }: Envelope) => {
    handle(request).then(
      (value) => port.postMessage({ id, ok: true, value } satisfies Reply),
      (error: unknown) => port.postMessage({ id, ok: false, error: toWire(error) } satisfies Reply),
    );
  });
}

const asText = (value: string) => value;

/**
 * The embedded database on the far side of `port` (see `serveEmbedded`), as a Database. Its migrations and
 * its closing belong to the thread that opened it: `migrate` is refused here, and `close` only lets go of
 * the port.
 */
export function bridgedEmbedded(port: MessagePort): Database {
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  const listeners = new Map<string, Set<() => void>>();
  /** Each channel's LISTEN on the far side, while it is being asked for and after. */
  const listening = new Map<string, Promise<unknown>>();
  let nextId = 1;
  let closed: Error | null = null;

  port.on('message', (message: Reply | Notification) => {
    if ('notify' in message) {
      for (const listener of listeners.get(message.notify) ?? []) listener();
      return;
    }
    const call = pending.get(message.id);
    pending.delete(message.id);
    if (message.ok) call?.resolve(message.value);
    else call?.reject(fromWire(message.error));
  });
  port.on('close', () => {
    closed = new Error('The embedded database is no longer reachable: its thread has stopped.');
    for (const call of pending.values()) call.reject(closed);
    pending.clear();
  });

  function ask<T>(request: Request): Promise<T> {
    if (closed) return Promise.reject(closed);
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      port.postMessage({ id, request } satisfies Envelope);
    });
  }

  const query =
    (tx: number | null) =>
    <T>(text: string, params: unknown[] = [], options?: QueryOptions): Promise<Results<T>> =>
      ask({ op: 'query', tx, text, params, rowMode: options?.rowMode, rawTypes: Object.keys(options?.parsers ?? {}).map(Number) });

  const connection: PGliteConnection = {
    query: query(null),
    async transaction<T>(work: (tx: Pick<Transaction, 'query'>) => Promise<T>): Promise<T> {
      const tx = await ask<number>({ op: 'begin' });
      let result: T;
      try {
        result = await work({ query: query(tx) });
      } catch (error) {
        await ask({ op: 'end', tx, commit: false }).catch(() => {});
        throw error;
      }
      await ask({ op: 'end', tx, commit: true });
      return result;
    },
    async listen(channel, onNotify) {
      let channelListeners = listeners.get(channel);
      if (!channelListeners) {
        listeners.set(channel, (channelListeners = new Set()));
        listening.set(channel, ask({ op: 'listen', channel }));
      }
      try {
        await listening.get(channel);
      } catch (error) {
        // Forgotten, so that the next listener (the engine's retry) asks again.
        if (listeners.get(channel) === channelListeners && channelListeners.size === 0) listeners.delete(channel);
        listening.delete(channel);
        throw error;
      }
      const listener = () => onNotify('');
      channelListeners.add(listener);
      return async () => {
        channelListeners.delete(listener);
        if (channelListeners.size > 0 || listeners.get(channel) !== channelListeners) return;
        listeners.delete(channel);
        listening.delete(channel);
        await ask({ op: 'unlisten', channel });
      };
    },
  };

  return {
    kind: 'embedded',
    sql: pgliteClient(connection),
    // Drizzle's PGlite driver calls only `query` and `transaction`, which the connection has.
    orm: drizzle(connection as unknown as PGlite, { casing: 'snake_case' }),
    migrate: () => Promise.reject(new Error('The embedded database is migrated by the thread that opened it.')),
    close: async () => {
      port.close();
    },
  };
}

function toWire(error: unknown): WireError {
  if (!(error instanceof Error)) return { message: String(error) } as WireError;
  const fields = error as unknown as Record<string, unknown>;
  return Object.fromEntries([['message', error.message], ...errorFields.map((field) => [field, fields[field]])]) as WireError;
}

function fromWire(wire: WireError): Error {
  const error = new Error(wire.message);
  for (const field of errorFields) if (wire[field] !== undefined) Object.assign(error, { [field]: wire[field] });
  return error;
}
