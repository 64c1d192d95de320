-- Purpose: the speed profile of each sensor by hour of the day (UTC) over all refined history:
--   how fast traffic usually is, how busy the road is, and how often it is jammed.
-- Dialect: Athena engine v3 (Trino). Parameters: none.
-- Output: view tributary_refined.traffic_hourly_speed_profile(uniqueid, hourofday, readings,
--   avgspeed, minspeed, maxspeed, avgoccupancy, jamshare), one row per sensor and hour of day
--   that has readings; jamshare is the fraction of readings with trafficjamindicator = 1.
CREATE OR REPLACE VIEW tributary_refined.traffic_hourly_speed_profile AS
SELECT
  uniqueid,
  hour(eventtime) AS hourofday,
  count(*) AS readings,
  avg(currentspeed) AS avgspeed,
  min(currentspeed) AS minspeed,
  max(currentspeed) AS maxspeed,
  avg(bezettingsgraad) AS avgoccupancy,
  avg(CASE WHEN trafficjamindicator = 1 THEN 1.0 ELSE 0.0 END) AS jamshare
FROM tributary_refined.traffic
GROUP BY uniqueid, hour(eventtime)
