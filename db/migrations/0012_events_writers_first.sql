-- Readers of the log stop below the oldest transaction that may still append (db/event-store/read.ts). They
-- tell an appender from any other writer by the lock it holds on this table, which every INSERT takes before
-- its transaction has an id; so a transaction may append only if it wrote nothing before its first append.
-- A transaction that did (it has an id, and no append has marked it) is refused here, loudly, instead of
-- being read past while it is still running.
CREATE FUNCTION events_writers_append_first() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF pg_current_xact_id_if_assigned() IS NOT NULL
     AND current_setting('hindsight.appending', true) IS DISTINCT FROM 'on' THEN
    RAISE EXCEPTION 'an append must be the first write of its transaction: this one wrote to another table first'
      USING ERRCODE = 'object_not_in_prerequisite_state',
            HINT = 'Append in a transaction of its own, or before the other writes (docs/event-store.md).';
  END IF;
  PERFORM set_config('hindsight.appending', 'on', true);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER events_append_first
  BEFORE INSERT ON events
  FOR EACH STATEMENT EXECUTE FUNCTION events_writers_append_first();
