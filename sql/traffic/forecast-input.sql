-- Purpose: the refined readings the forecast model reads for a window of event time: per sensor
--   its speed at each reading, the input of `buildInferenceRecords` (rolling-origin forecasts).
-- Dialect: Athena engine v3 (Trino).
-- Source: :refined_database.traffic (:refined_database is <prefix>_refined, bound as an identifier; the refined, event-time partitioned table).
-- Parameters (named placeholders, bound by the caller as quoted literals, never pasted):
--   :window_start  varchar 'YYYY-MM-DD HH:00:00' (UTC), first event hour read (inclusive)
--   :window_end    varchar 'YYYY-MM-DD HH:00:00' (UTC), end of the hours read (exclusive)
-- Output: sensor (varchar), time (varchar UTC timestamp text), speed (double), ordered by sensor and time.
SELECT
  uniqueid AS sensor,
  CAST(eventtime AS varchar) AS time,
  CAST(currentspeed AS double) AS speed
FROM :refined_database.traffic
WHERE eventtime >= CAST(:window_start AS timestamp)
  AND eventtime < CAST(:window_end AS timestamp)
ORDER BY sensor, time, speed
