-- Task 5, synthesis: the users, registered up to 30 days before their first order (or any time,
-- for non-buyers). Fills the temp table syn_user_ids (customer number → key) for the orders.
-- Returns the rows written.
CREATE FUNCTION synthesis_load_users(p_first date, p_days integer, p_hash_seed bigint, since timestamptz)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
    shape  synthesis_constants;
    v_rows bigint;
BEGIN
    SELECT * INTO shape FROM synthesis_constants;
    CREATE TEMP TABLE syn_user_ids AS
    SELECT r.user_no, synthetic_uuidv7(r.registered_at, shape.user_key + r.user_no, p_hash_seed) AS user_id, r.registered_at
      FROM (SELECT c.user_no,
                   coalesce(f.first_order - make_interval(secs => floor(c.registered_offset * shape.signup_days * 86400)),
                            (p_first + floor(c.registered_offset * p_days)::int)::timestamp AT TIME ZONE 'UTC'
                              + make_interval(secs => floor(c.name_pick * 86400))) AS registered_at
              FROM syn_customers AS c
              LEFT JOIN (SELECT o.user_no, min(o.order_date) AS first_order FROM syn_orders AS o GROUP BY o.user_no) AS f
                ON f.user_no = c.user_no
             ORDER BY c.user_no) AS r;
    CREATE INDEX ON syn_user_ids (user_no);
    ANALYZE syn_user_ids;
    INSERT INTO users (user_id, email, full_name, phone, country_code, region, city, postal_code, street_address,
                       registered_at, signup_channel, signup_device, signup_referrer)
    SELECT i.user_id,
           format('customer%s@%s', c.user_no, (ARRAY['example.com', 'example.org', 'example.net'])[1 + c.user_no % 3]),
           (ARRAY['Ana', 'Bruno', 'Chen', 'Dana', 'Emil', 'Fatima', 'Goro', 'Hana', 'Ivan', 'Jade', 'Kofi', 'Lena'])[1 + floor(c.name_pick * 12)::int]
             || ' ' || (ARRAY['Silva', 'Müller', 'Smith', 'Tanaka', 'Dubois', 'García', 'Rossi', 'Kowalski', 'Okafor', 'Singh'])[1 + (c.user_no * 7) % 10],
           CASE WHEN c.user_no % 10 < 7 THEN format('+%s %s', 100 + c.user_no % 800, lpad((c.user_no::bigint * 7919 % 10000000)::text, 7, '0')) END,
           (ARRAY['US', 'DE', 'GB', 'FR', 'BR', 'IN', 'JP', 'CA', 'ES', 'PT'])[g.country], NULL,
           (ARRAY[['New York', 'Austin', 'Seattle'], ['Berlin', 'Munich', 'Hamburg'], ['London', 'Leeds', 'Bristol'],
                  ['Paris', 'Lyon', 'Nantes'], ['São Paulo', 'Recife', 'Curitiba'], ['Mumbai', 'Pune', 'Chennai'],
                  ['Tokyo', 'Osaka', 'Sapporo'], ['Toronto', 'Calgary', 'Halifax'], ['Madrid', 'Valencia', 'Bilbao'],
                  ['Lisbon', 'Porto', 'Braga']])[g.country][1 + c.user_no % 3],
           lpad((c.user_no * 37 % 100000)::text, 5, '0'),
           CASE WHEN c.user_no % 10 < 8 THEN format('%s Market Street', 1 + c.user_no % 300) END,
           i.registered_at,
           CASE WHEN c.channel < 0.50 THEN 'web' WHEN c.channel < 0.75 THEN 'ios' WHEN c.channel < 0.95 THEN 'android'
                WHEN c.channel < 0.98 THEN 'marketplace' ELSE 'referral' END,
           CASE WHEN c.channel < 0.50 THEN 'desktop' WHEN c.channel < 0.75 THEN 'iphone' WHEN c.channel < 0.95 THEN 'android-phone' END,
           CASE WHEN c.channel >= 0.98 THEN 'friend' WHEN c.user_no % 4 = 0 THEN 'search' END
      FROM syn_customers AS c
      JOIN syn_user_ids AS i ON i.user_no = c.user_no
      -- country shares: US 30 %, DE 12, GB 10, FR 8, BR 8, IN 8, JP 7, CA 6, ES 6, PT 5
      CROSS JOIN LATERAL (SELECT width_bucket(c.country, ARRAY[0, 0.30, 0.42, 0.52, 0.60, 0.68, 0.76, 0.83, 0.89, 0.95]::float8[]) AS country) AS g
     ORDER BY i.registered_at, c.user_no;
    GET DIAGNOSTICS v_rows = ROW_COUNT;
    PERFORM synthesis_progress('users', since, v_rows, v_rows);
    RETURN v_rows;
END
$$;
