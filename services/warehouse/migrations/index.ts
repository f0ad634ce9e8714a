import { tables } from './0001-tables';
import { traceContext } from './0002-trace-context';
import type { Migration } from './migration';

/** Every migration, in the order they apply. Append only: an applied one is never edited. */
export const migrations: readonly Migration[] = [tables, traceContext];
