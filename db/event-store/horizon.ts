import type { SqlExecutor } from '../sql';
import { horizonCte } from './read';

/** A running transaction that holds the events table for writing, as pg_stat_activity describes its session. */
export type HorizonHolder = {
  /** The transaction's id (xid8, as text): the oldest one is the readers' horizon. */
  readonly transactionId: string;
  readonly pid: number;
  /** Which process it is (`DatabaseOptions.applicationName`: the web server, the worker, a script). */
  readonly applicationName: string;
  /** The client's address; null for a Unix socket. */
  readonly clientAddress: string | null;
  /** `active` while a statement runs, `idle in transaction` when the client holds it open between statements. */
  readonly state: string | null;
  /** How long the transaction has been open, in milliseconds. */
  readonly ageMs: number;
  /** The statement running now, or the last one an idle transaction ran, cut to `statementChars`. */
  readonly statement: string;
  /** What it waits for (`Lock: transactionid`, `Client: ClientRead`, …), or null when it is not waiting. */
  readonly waitEvent: string | null;
};

/**
 * How long the oldest appender may hold the readers back before the console warns. An append is one
 * statement and commits in milliseconds, so seconds mean a transaction left open, not load. A constant
 * rather than a setting: no deployment has needed another value.
 */
export const horizonWarnMs = 5_000;

export type Horizon = {
  /** Whether committed events wait at or above the horizon: readers are held back right now, not only could be. */
  readonly heldBack: boolean;
  /** The running appenders, oldest transaction first; empty when nothing can hold the readers back. */
  readonly holders: readonly HorizonHolder[];
  /** The threshold this answer was judged by. */
  readonly warnMs: number;
  /** The oldest holder has held for longer than `warnMs`. */
  readonly warning: boolean;
};

/** How much of a holder's statement is kept: enough to recognise it, little enough for a status page. */
const statementChars = 500;
/** At most this many holders: the oldest is the one that matters, the rest show how many queue behind it. */
const holderLimit = 10;

type HolderRow = Omit<HorizonHolder, 'ageMs' | 'pid'> & { ageMs: string | number; pid: number | string; heldBack: boolean | null };

/**
 * What holds the log's readers back: the running transactions that hold the events table for writing (the
 * same test as `horizonCte`, docs/event-store.md), each with its session from pg_stat_activity. The oldest of
 * them is the readers' horizon: `readAll` returns nothing committed after it began until it ends, so a long
 * one (a script's transaction left open, a client that appended and stalled) is what an operator looks for
 * when every consumer's lag grows at once. Transactions that write only elsewhere (read-model batches) never
 * appear, since they cannot append.
 *
 * One read-only statement, without a transaction id of its own, so asking never holds anyone back. This
 * session is left out: it appends nothing while it asks. On the embedded database (PGlite, one connection)
 * the views exist but list only this session, so the answer is always "nothing held", without an error.
 * `warnMs` is for tests; the console judges by `horizonWarnMs`.
 */
export async function readHorizon(db: SqlExecutor, warnMs: number = horizonWarnMs): Promise<Horizon> {
  const rows = await db.query<HolderRow>(
    `with ${horizonCte},
     holders as (
       -- One row a session: a savepoint that wrote has an id of its own, younger than its transaction's.
       select distinct on (holder.pid) holder.transactionid, activity.*
       from pg_locks as writing
       -- Its own transaction id, held exclusively: a session waiting on another's id holds that one shared.
       join pg_locks as holder on holder.virtualtransaction = writing.virtualtransaction
         and holder.locktype = 'transactionid' and holder.mode = 'ExclusiveLock' and holder.granted
       join pg_stat_activity as activity on activity.pid = holder.pid
       where writing.locktype = 'relation' and writing.relation = 'events'::regclass and writing.mode = 'RowExclusiveLock'
         and writing.database = (select oid from pg_database where datname = current_database())
         and holder.pid <> pg_backend_pid()
       order by holder.pid, age(holder.transactionid) desc)
     select held.*,
       coalesce((select transaction_id from events order by transaction_id desc, global_position desc limit 1)
         >= (select xmin from horizon), false) as "heldBack"
     from (select) as one_row
     left join lateral (
       select holders.transactionid::text as "transactionId", holders.pid, holders.application_name as "applicationName",
         host(holders.client_addr) as "clientAddress", holders.state,
         greatest(0, extract(epoch from (now() - holders.xact_start)) * 1000)::float8 as "ageMs",
         left(coalesce(holders.query, ''), ${statementChars}) as statement,
         case when holders.wait_event is not null then holders.wait_event_type || ': ' || holders.wait_event end as "waitEvent"
       from holders
       order by age(holders.transactionid) desc, holders.xact_start
       limit ${holderLimit}) as held on true`,
  );
  const holders = rows
    .filter((row) => row.pid != null)
    .map(({ heldBack: _h, ...row }) => ({ ...row, pid: Number(row.pid), ageMs: Number(row.ageMs) }));
  const oldest = holders[0];
  return { heldBack: rows[0]?.heldBack ?? false, holders, warnMs, warning: oldest !== undefined && oldest.ageMs > warnMs };
}
