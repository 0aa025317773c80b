-- UUID version 7 keys (RFC 9562): a 48-bit Unix-millisecond prefix, so new keys land at the
-- right-most leaf of a B-tree instead of splitting random pages the way v4 keys do.
--
-- PostgreSQL 18 ships uuidv7() in pg_catalog. On 15-17 this file creates an equivalent
-- public.uuidv7(): version 7, RFC 9562 variant, 12 bits of sub-millisecond clock in rand_a
-- (as PostgreSQL 18 does), strictly increasing within a session.
DO $do$
BEGIN
  IF to_regprocedure('pg_catalog.uuidv7()') IS NULL THEN
    EXECUTE $fn$
      CREATE FUNCTION public.uuidv7() RETURNS uuid
      LANGUAGE plpgsql VOLATILE PARALLEL SAFE AS $body$
      DECLARE
        -- microseconds since the epoch, scaled to 1/4096 ms: 48 bits of ms + 12 bits of fraction
        now_us  bigint := floor(extract(epoch FROM clock_timestamp()) * 1000000)::bigint;
        stamp   bigint := (now_us / 1000) * 4096 + ((now_us % 1000) * 4096) / 1000;
        last    bigint := coalesce(nullif(current_setting('uuidv7.last_stamp', true), '')::bigint, 0);
      BEGIN
        IF stamp <= last THEN
          stamp := last + 1;   -- same tick as the previous call: keep the session's keys increasing
        END IF;
        PERFORM set_config('uuidv7.last_stamp', stamp::text, false);
        RETURN encode(
                 decode(lpad(to_hex(stamp >> 12), 12, '0')
                        || lpad(to_hex(x'7000'::int | (stamp & 4095)::int), 4, '0'), 'hex')
                 -- 62 random bits with the RFC 9562 variant (10xx), borrowed from a v4 UUID
                 || substring(uuid_send(gen_random_uuid()) FROM 9 FOR 8),
               'hex')::uuid;
      END
      $body$
    $fn$;
    COMMENT ON FUNCTION public.uuidv7() IS 'UUID version 7 for servers older than PostgreSQL 18';
  END IF;
END
$do$;
