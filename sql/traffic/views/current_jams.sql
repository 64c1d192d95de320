-- Purpose: the sensors that are in a jam right now: for each sensor its latest refined reading,
--   kept when that reading is within 15 minutes of the newest reading in the table and its
--   3-minute average speed says jam (trafficjamindicator = 1).
-- Dialect: Athena engine v3 (Trino). Parameters: :refined_database, the database <prefix>_refined (an identifier).
-- Output: view :refined_database.traffic_current_jams(uniqueid, eventtime, currentspeed,
--   avgspeed3minutes, avgspeed20minutes, bezettingsgraad, trafficjamindicatorlong), one row per
--   jammed sensor.
CREATE OR REPLACE VIEW :refined_database.traffic_current_jams AS
SELECT
  uniqueid,
  eventtime,
  currentspeed,
  avgspeed3minutes,
  avgspeed20minutes,
  bezettingsgraad,
  trafficjamindicatorlong
FROM (
  SELECT
    r.*,
    row_number() OVER (PARTITION BY uniqueid ORDER BY eventtime DESC) AS recency,
    max(eventtime) OVER () AS newest
  FROM :refined_database.traffic r
) latest
WHERE recency = 1
  AND trafficjamindicator = 1
  AND eventtime >= newest - INTERVAL '15' MINUTE
