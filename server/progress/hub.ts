import { setTimeout as sleep } from 'node:timers/promises';
import { encodeToken, hasReached, type EventStore, type LogPosition } from '@/db/event-store';
import type { SqlExecutor } from '@/db/sql';

/** Each read model's checkpoint as a consistency token, by read model name. */
export type Positions = Readonly<Record<string, string>>;

/**
 * How the hub learns that a checkpoint moved. Two ways were open: a NOTIFY of its own from every checkpoint
 * write, or the append NOTIFY that already exists plus a look at the checkpoints table. The second was chosen:
 *
 * - A checkpoint moves inside its batch's transaction (db/consumers/batches.ts), and a NOTIFY sent there
 *   would serialise every notifying commit on PostgreSQL's one queue lock (see `coalescedNotifier` in
 *   db/event-store/append.ts). Sent after the commit instead, it has to come from the engine's batch loop,
 *   not from `advanceCheckpoint`, which cannot tell when the transaction around it commits; a NOTIFY that
 *   overtook its commit would push a position the page's refetch cannot see yet.
 * - Every checkpoint move follows an append (or a reset), and an append already NOTIFYs after its commit.
 *   Woken by it, the hub reads the checkpoints table (one row per consumer, a primary-key scan of a dozen
 *   rows) every `chaseMs` until every read model has reached the log's head, then stops. Only committed
 *   positions are ever pushed, and nothing changes in the write path or the engine.
 *
 * The cost is one small read every `chaseMs` per web server process, and only while it has a browser
 * connected and the read models are behind: at 100 commands/s that is 200 reads a second of a table that
 * stays in memory (`npm run bench -- --only progress` measures the push). `chaseMs` is the push's added delay at
 * worst; the read models themselves take tens of milliseconds to apply a command (the lag rows).
 */
export const chaseMs = 5;

/**
 * How long the hub keeps looking after the last append or the last move it saw. A read model that has not
 * moved for this long is stopped or stuck (its worker is down): it is read again at `idleMs` only, so a
 * stopped worker does not cost a read every `chaseMs` forever.
 */
const chaseWindowMs = 1_000;

/**
 * A slow look even without a wake-up: a NOTIFY missed while the LISTEN connection reconnected, or a
 * checkpoint moved without an append (a read model reset to zero and rebuilt).
 */
const idleMs = 1_000;

export type ProgressListener = (changed: Positions) => void;

export type ProgressHubOptions = {
  /**
   * Where the checkpoints are read: on a PostgreSQL server, a connection of the hub's own. Through the web
   * server's pool, under load each read waited behind every command queued for a connection, and the push
   * was seconds late exactly when the shop was busiest.
   */
  readonly sql: SqlExecutor;
  /** Its append NOTIFY wakes the hub. */
  readonly store: Pick<EventStore, 'onAppend'>;
  /** The read models whose checkpoints are pushed: the names the public queries judge, nothing staff-only. */
  readonly readModels: readonly string[];
  readonly onError?: (error: unknown) => void;
};

/**
 * One per web server process, shared by every SSE client of that process: one LISTEN connection and one
 * reader of the checkpoints table however many browsers are connected. It starts with its first subscriber
 * and stops with its last.
 */
export function progressHub(options: ProgressHubOptions) {
  const listeners = new Set<ProgressListener>();
  let current: Record<string, string> = {};
  let currentPositions = new Map<string, LogPosition>();
  let first: Promise<void> | null = null;
  let stop: (() => Promise<void>) | null = null;
  let idleTimer: NodeJS.Timeout | null = null;
  let chaseUntil = 0;
  let running: Promise<void> | null = null;
  let again = false;

  async function read(): Promise<boolean> {
    // The checkpoints and the log's head (the row without a consumer) in one round trip.
    const rows = await options.sql.query<{ consumer: string | null; transactionId: string; position: string }>(
      `select consumer, transaction_id::text as "transactionId", position::text as position
       from consumer_checkpoints where consumer = any($1::text[])
       union all
       (select null, transaction_id::text, global_position::text from events
        order by transaction_id desc, global_position desc limit 1)`,
      [options.readModels],
    );
    const headRow = rows.find((row) => row.consumer === null);
    const head = headRow ? { transactionId: Number(headRow.transactionId), position: Number(headRow.position) } : null;
    const changed: Record<string, string> = {};
    const positions = new Map<string, LogPosition>();
    for (const row of rows) {
      if (row.consumer === null) continue;
      const at = { transactionId: Number(row.transactionId), position: Number(row.position) };
      positions.set(row.consumer, at);
      const token = encodeToken(at);
      if (current[row.consumer] !== token) changed[row.consumer] = token;
    }
    currentPositions = positions;
    if (Object.keys(changed).length > 0) {
      current = { ...current, ...changed };
      chaseUntil = performance.now() + chaseWindowMs;
      for (const listener of listeners) listener(changed);
    }
    // Behind: some read model has not reached the head yet (a consumer moves past every event it reads,
    // handled or not, so each one ends at the head).
    return head !== null && [...currentPositions.values()].some((at) => !hasReached(at, head));
  }

  /** Reads until every read model is at the head, or nothing moved for `chaseWindowMs`. */
  async function chase(): Promise<void> {
    do {
      again = false;
      try {
        while ((await read()) && performance.now() < chaseUntil && listeners.size > 0) await sleep(chaseMs);
      } catch (error) {
        options.onError?.(error);
      }
    } while (again && listeners.size > 0);
    running = null;
  }

  function wake(chasing: boolean): void {
    if (chasing) chaseUntil = performance.now() + chaseWindowMs;
    if (running) again = true;
    else running = chase();
  }

  async function start(): Promise<void> {
    stop = (await options.store.onAppend(() => wake(true))).stop;
    idleTimer = setInterval(() => wake(false), idleMs);
    idleTimer.unref();
    await read();
  }

  return {
    /**
     * Calls `listener` with every change from now on; resolves to the current positions (so a client that
     * connects gets them at once) and a function that unsubscribes.
     */
    async subscribe(listener: ProgressListener): Promise<{ positions: Positions; unsubscribe: () => void }> {
      listeners.add(listener);
      try {
        first ??= start().catch((error: unknown) => {
          first = null;
          throw error;
        });
        await first;
      } catch (error) {
        listeners.delete(listener);
        throw error;
      }
      return {
        positions: current,
        unsubscribe: () => {
          listeners.delete(listener);
          if (listeners.size === 0) void shutDown();
        },
      };
    },
  };

  async function shutDown(): Promise<void> {
    const stopping = stop;
    if (!first || !stopping) return;
    first = null;
    stop = null;
    if (idleTimer) clearInterval(idleTimer);
    idleTimer = null;
    current = {};
    await stopping().catch((error: unknown) => options.onError?.(error));
  }
}

export type ProgressHub = ReturnType<typeof progressHub>;
