-- Purpose: the refined readings the forecast reads for a window of event time: per sensor its speed
--   at each reading; the stage averages them per 15-minute step (manifest forecast.every) and makes
--   rolling-origin forecasts of each sensor's series.
-- Dialect: Athena engine v3 (Trino).
-- Source: tributary_refined.traffic (the refined, event-time partitioned table).
-- Parameters (named placeholders, bound by the caller as quoted literals, never pasted):
--   :window_start  varchar 'YYYY-MM-DD HH:MM:SS' (UTC), first event time read (inclusive)
--   :window_end    varchar 'YYYY-MM-DD HH:MM:SS' (UTC), end of the times read (exclusive)
-- Output: uniqueid (varchar, the manifest's forecast.groupBy), time (varchar UTC timestamp text),
--   value (double, the target currentspeed), ordered by sensor and time.
SELECT
  uniqueid,
  CAST(eventtime AS varchar) AS time,
  CAST(currentspeed AS double) AS value
FROM tributary_refined.traffic
WHERE eventtime >= CAST(:window_start AS timestamp)
  AND eventtime < CAST(:window_end AS timestamp)
  AND currentspeed IS NOT NULL
ORDER BY uniqueid, time, value
