// Temporary experiment (not committed).
import { connect } from '@/db/client';
import { createEventStore } from '@/db/event-store';
import { projections } from '@/projections';
import { catchUp, resetProjection } from '@/projections/runtime/runner';
import { textSearchProjection } from '@/projections/text-search/projection';
const url = 'postgres://postgres@127.0.0.1:5432/hindsight_rebexp';
const db = connect(url, { max: 10 });
await db.migrate();
const store = createEventStore(db.sql);
const [{ n }] = (await db.sql.query<{ n: number }>('select count(*)::int as n from events')) as [{ n: number }];
const all = [...projections, textSearchProjection];
const size = Number(process.env.BATCH ?? 5000);
for (const name of process.argv.slice(2)) {
  const p = all.find((x) => x.name === name)!;
  await resetProjection(db.orm, p);
  const t = performance.now();
  await catchUp(db.orm, store, p, { batchSize: size, timeoutMs: 600_000 });
  const s = (performance.now() - t) / 1000;
  console.log(`${name} batch ${size}: ${Math.round(n / s)} events/s (${s.toFixed(1)} s)`);
}
await db.close();
