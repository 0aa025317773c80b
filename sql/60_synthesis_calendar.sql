-- Task 5, synthesis (CALL synthesize_commerce(…), 69_synthesis.sql): the shape of the calendar.

-- The day after the fourth Thursday of November (US Thanksgiving) of a year.
CREATE FUNCTION black_friday(year integer) RETURNS date
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN make_date(year, 11, 1) + ((11 - extract(isodow FROM make_date(year, 11, 1))::int) % 7) + 21 + 1;

-- Relative order volume of a UTC day (before the growth trend and noise).
CREATE FUNCTION synthetic_day_weight(day date) RETURNS double precision
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN (ARRAY[0.85, 0.85, 0.9, 0.95, 1.05, 1.4, 1.3])[extract(isodow FROM day)::int]
       * CASE day - black_friday(extract(year FROM day)::int)
           WHEN 0 THEN 6.0   -- Black Friday
           WHEN 1 THEN 2.6   -- its Saturday and Sunday (already weekend-weighted)
           WHEN 2 THEN 2.2
           WHEN 3 THEN 4.0   -- Cyber Monday
           ELSE CASE
                  WHEN day - black_friday(extract(year FROM day)::int) BETWEEN -7 AND -1 THEN 1.4
                  WHEN extract(month FROM day) = 12 AND extract(day FROM day) <= 21 THEN 1.3
                  WHEN extract(month FROM day) = 1 THEN 0.8
                  ELSE 1.0
                END
         END;
