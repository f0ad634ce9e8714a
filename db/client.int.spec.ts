import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { connect } from './client';
import { testEngine } from './testing';
import { useTestDatabase } from './testing-hooks';

const ctx = useTestDatabase();

describe.skipIf(testEngine === 'pglite')('connect', () => {
  it('lets read-model writes commit without waiting for the disk only when asked; the event store always waits', async () => {
    for (const asyncReadModelCommits of [false, true]) {
      const db = connect(ctx.db.url!, { max: 1, asyncReadModelCommits });
      try {
        const [readModels] = (await db.orm.execute(sql`show synchronous_commit`)) as unknown as { synchronous_commit: string }[];
        const [eventStore] = await db.sql.query<{ synchronous_commit: string }>('show synchronous_commit');
        expect(readModels?.synchronous_commit).toBe(asyncReadModelCommits ? 'off' : 'on');
        expect(eventStore?.synchronous_commit).toBe('on');
      } finally {
        await db.close();
      }
    }
  });
});
