import { setTimeout as sleep } from 'node:timers/promises';
import type { SqlExecutor } from '@/db/sql';

/** Who held the consumers' read horizon while a watch ran. */
export type HorizonReport = {
  readonly samples: number;
  /** Share of the samples in which some appending transaction was running, in %. */
  readonly heldPct: number;
  /** Share in which the oldest such transaction was another database's, in % (0 since only appenders count). */
  readonly heldElsewherePct: number;
  /** The oldest transaction's owner and statement, most frequent first, with its median age when sampled. */
  readonly holders: readonly { readonly who: string; readonly pct: number; readonly medianAgeMs: number }[];
};

/**
 * Samples, every `everyMs`, the oldest running transaction that holds the events table for writing. A
 * consumer reads the log only below it (the horizon, db/event-store/read.ts), so an event committed while it
 * runs waits for it to end. Transactions that write elsewhere (read models, another database) do not count:
 * they cannot append, and the horizon passes them (docs/event-store.md).
 */
export function watchHorizon(sql: SqlExecutor, everyMs = 50): { stop(): Promise<HorizonReport> } {
  const seen: { ours: boolean; who: string; ageMs: number }[] = [];
  let samples = 0;
  let running = true;
  // A failed look ends the watch; `stop` reports it. Kept, not thrown, so that a step that fails first (and
  // closes the pool under the watch) surfaces its own error rather than this one.
  let failure: { error: unknown } | null = null;
  const loop = (async () => {
    while (running) {
      const [oldest] = await sql.query<{ ours: boolean; database: string; who: string; ageMs: number }>(
        `select coalesce(datname = current_database(), false) as ours, coalesce(datname, '(no database)') as database,
                coalesce(nullif(application_name, ''), '?') || ': ' || left(regexp_replace(query, '\\s+', ' ', 'g'), 40) as who,
                (extract(epoch from clock_timestamp() - xact_start) * 1000)::float8 as "ageMs"
         from pg_stat_activity
         where backend_xid is not null and pid <> pg_backend_pid()
           and exists (
             select from pg_locks as writing
             where writing.pid = pg_stat_activity.pid and writing.locktype = 'relation'
               and writing.relation = 'events'::regclass and writing.mode = 'RowExclusiveLock'
               and writing.database = (select oid from pg_database where datname = current_database()))
         order by age(backend_xid) desc
         limit 1`,
      );
      samples++;
      if (oldest) seen.push({ ours: oldest.ours, who: oldest.ours ? oldest.who : `another database (${oldest.database})`, ageMs: oldest.ageMs });
      await sleep(everyMs);
    }
  })().catch((error: unknown) => {
    failure = { error };
  });
  return {
    async stop() {
      running = false;
      await loop;
      if (failure) throw (failure as { error: unknown }).error;
      const byWho = new Map<string, number[]>();
      for (const { who, ageMs } of seen) {
        const ages = byWho.get(who);
        if (ages) ages.push(ageMs);
        else byWho.set(who, [ageMs]);
      }
      const pct = (n: number) => (samples === 0 ? 0 : (100 * n) / samples);
      const holders = [...byWho.entries()]
        .map(([who, ages]) => ({ who, pct: pct(ages.length), medianAgeMs: ages.sort((a, b) => a - b)[Math.floor(ages.length / 2)] ?? 0 }))
        .sort((a, b) => b.pct - a.pct);
      return { samples, heldPct: pct(seen.length), heldElsewherePct: pct(seen.filter((s) => !s.ours).length), holders };
    },
  };
}
