-- Task 5, synthesis: keys, progress, and the fast load's taking aside of indexes and keys.

-- A UUID v7 for a given instant: 48-bit Unix milliseconds, version 7, RFC 9562 variant, and 74
-- bits hashed from (key, seed). Unlike uuidv7() it is reproducible (the key names the row: a
-- table tag plus its row number), and it carries the row's own time, so synthesized keys are
-- time-ordered like keys created live. hashint8extended is the stable hash of hash partitioning.
CREATE FUNCTION synthetic_uuidv7(at timestamptz, key bigint, seed bigint) RETURNS uuid
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN encode(int8send((floor(date_part('epoch', at AT TIME ZONE 'UTC') * 1000)::bigint << 16) | 28672
                       | (hashint8extended(key, seed) & 4095))
              || int8send((hashint8extended(key, seed + 1) & 4611686018427387903)
                          | x'8000000000000000'::bit(64)::bigint),
              'hex')::uuid;

-- Progress NOTICEs carry JSON, which the lab and the bench turn into progress bars:
-- {"synthesis": phase, "done": n, "total": total, "elapsed_ms": ms} while a phase runs, and
-- {"synthesis": phase, "rows": n, "ms": ms} when it is over (no total; rows left out when NULL).
-- ms count from since.
CREATE FUNCTION synthesis_progress(phase text, since timestamptz, n bigint DEFAULT NULL, total bigint DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    ms numeric := round(extract(epoch FROM clock_timestamp() - since) * 1000);
BEGIN
    IF total IS NULL THEN
        RAISE NOTICE '%', json_strip_nulls(json_build_object('synthesis', phase, 'rows', n, 'ms', ms));
    ELSE
        RAISE NOTICE '%', json_build_object('synthesis', phase, 'done', n, 'total', total, 'elapsed_ms', ms);
    END IF;
END
$$;

-- Fast load: indexes, unique/primary keys and foreign keys of the tables are dropped before the
-- bulk INSERTs and rebuilt afterwards (one sorted build per index instead of millions of random
-- insertions, one join per foreign key instead of a lookup per row), and user triggers (the
-- inventory audit trigger) are off while loading: the audit rows are synthesized too.
-- p_keep_indexes => true keeps every index and key in place, to measure the difference.
-- What was taken aside waits in the temp table syn_deferred for synthesis_restore_keys().
CREATE FUNCTION synthesis_defer_keys(p_tables regclass[], p_keep_indexes boolean) RETURNS void
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
    v_step record;
BEGIN
    CREATE TEMP TABLE syn_deferred (build_order int, drop_sql text, create_sql text);
    INSERT INTO syn_deferred
    SELECT CASE c.contype WHEN 'f' THEN 3 ELSE 1 END,   -- keys first, foreign keys once their keys exist
           format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname),
           format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid))
             || coalesce(format('; COMMENT ON CONSTRAINT %I ON %s IS %L', c.conname, c.conrelid::regclass, obj_description(c.oid, 'pg_constraint')), '')
      FROM pg_constraint AS c
     WHERE (c.contype = 'f' AND (c.conrelid = ANY (p_tables) OR c.confrelid = ANY (p_tables)))
        OR (c.contype IN ('p', 'u', 'x') AND c.conrelid = ANY (p_tables));
    INSERT INTO syn_deferred
    SELECT 2, format('DROP INDEX %s', i.indexrelid::regclass),
           pg_get_indexdef(i.indexrelid)
             || coalesce(format('; COMMENT ON INDEX %s IS %L', i.indexrelid::regclass, obj_description(i.indexrelid, 'pg_class')), '')
      FROM pg_index AS i
     WHERE i.indrelid = ANY (p_tables)
       AND NOT EXISTS (SELECT FROM pg_constraint AS c WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid);
    INSERT INTO syn_deferred   -- user triggers (the audit trigger): off while loading
    SELECT 4, format('ALTER TABLE %s DISABLE TRIGGER %I', t.tgrelid::regclass, t.tgname),
           format('ALTER TABLE %s ENABLE TRIGGER %I', t.tgrelid::regclass, t.tgname)
      FROM pg_trigger AS t
     WHERE t.tgrelid = ANY (p_tables) AND NOT t.tgisinternal AND t.tgenabled <> 'D';
    IF p_keep_indexes THEN
        DELETE FROM syn_deferred WHERE build_order < 4;   -- triggers still off: the audit rows are synthesized
    END IF;
    FOR v_step IN SELECT * FROM syn_deferred ORDER BY build_order DESC, drop_sql LOOP
        EXECUTE v_step.drop_sql;
    END LOOP;
END
$$;

-- Rebuild keys and indexes (sorted bulk builds), then foreign keys (one validating join each),
-- then the triggers; progress counts from since.
CREATE FUNCTION synthesis_restore_keys(since timestamptz) RETURNS void
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
    v_step  record;
    v_done  bigint := 0;
    v_total bigint := (SELECT count(*) FROM syn_deferred);
BEGIN
    FOR v_step IN SELECT * FROM syn_deferred ORDER BY build_order, create_sql LOOP
        EXECUTE v_step.create_sql;
        v_done := v_done + 1;
        PERFORM synthesis_progress('indexes', since, v_done, v_total);
    END LOOP;
    DROP TABLE syn_deferred;
END
$$;
