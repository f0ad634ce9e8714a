-- The rule of migration 0012 (an append must be the first write of its transaction), checked only when there
-- is something to check. Nearly every append is the first write of its own transaction: it has no transaction
-- id yet, so it cannot have written anything, and the trigger's WHEN clause skips the function (a PL/pgSQL
-- call and a set_config, about 30 µs of the 185 µs an append costs PostgreSQL; skipped, about 2 µs).
-- When the transaction already has an id, it may append only if what it wrote before was an append: its own
-- rows in the log, found by the primary key (transaction_id, global_position), replace the setting 0012 kept.
-- One difference: an append that inserted nothing (a stream shorter than expected) no longer counts as the
-- transaction's first write, so a transaction that then writes elsewhere and appends again is refused. Our
-- code never does that (a failed append ends its transaction); the readers were safe either way.
CREATE OR REPLACE FUNCTION events_writers_append_first() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT FROM events WHERE transaction_id = pg_current_xact_id()) THEN
    RAISE EXCEPTION 'an append must be the first write of its transaction: this one wrote to another table first'
      USING ERRCODE = 'object_not_in_prerequisite_state',
            HINT = 'Append in a transaction of its own, or before the other writes (docs/event-store.md).';
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
DROP TRIGGER events_append_first ON events;
--> statement-breakpoint
CREATE TRIGGER events_append_first
  BEFORE INSERT ON events
  FOR EACH STATEMENT
  WHEN (pg_current_xact_id_if_assigned() IS NOT NULL)
  EXECUTE FUNCTION events_writers_append_first();
