-- Purpose: the speed profile of each sensor by hour of the day (UTC) over all refined history:
--   how fast traffic usually is, how busy the road is, and how often it is jammed.
-- Dialect: Athena engine v3 (Trino). Parameters: :refined_database, the database <prefix>_refined (an identifier).
-- Output: view :refined_database.traffic_hourly_speed_profile(uniqueid, hourofday, readings,
--   avgspeed, minspeed, maxspeed, avgoccupancy, jamshare), one row per sensor and hour of day
--   that has readings; jamshare is the fraction of readings with trafficjamindicator = 1.
CREATE OR REPLACE VIEW :refined_database.traffic_hourly_speed_profile AS
SELECT
  uniqueid,
  hour(eventtime) AS hourofday,
  count(*) AS readings,
  avg(currentspeed) AS avgspeed,
  min(currentspeed) AS minspeed,
  max(currentspeed) AS maxspeed,
  avg(bezettingsgraad) AS avgoccupancy,
  avg(CASE WHEN trafficjamindicator = 1 THEN 1.0 ELSE 0.0 END) AS jamshare
FROM :refined_database.traffic
GROUP BY uniqueid, hour(eventtime)
