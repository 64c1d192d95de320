-- Purpose: refine raw traffic readings into the event-time partitioned table (semantics of seed 004:
--   validity filter, speed-difference indicator at +-20 km/h, average speed over the last 3 and the
--   last 20 readings per sensor, jam indicators 0-40 -> 1 and 41-250 -> 0, else -1 (the seed's gap
--   between 40 and 41 is kept: an average of 40.5 gives -1), partitioned by event time).
-- Dialect: Athena engine v3 (Trino). The caller wraps this SELECT in INSERT INTO / CTAS / COPY.
-- Source: :raw_database.traffic (:raw_database is <prefix>_raw, bound as an identifier; the crawled JSON lines; columns lower-cased by the crawler).
-- Parameters (named placeholders, bound by the caller as quoted literals, never pasted):
--   :window_start      varchar 'YYYY-MM-DD HH:00:00' (UTC), first event hour to write (inclusive)
--   :window_end        varchar 'YYYY-MM-DD HH:00:00' (UTC), end of the hours to write (exclusive)
--   :lookback_minutes  integer 1..60, readings this far before an hour feed that hour's windows
--   :objects           list of varchar, the s3:// URIs of the raw objects whose event-time range
--                      overlaps [window_start - lookback, window_end) (run state indexes the ranges);
--                      the rows of other objects are not read (the local engine skips their files)
-- Output: one row per distinct valid reading whose event hour is in [window_start, window_end);
--   columns uniqueid .. avgspeed20minutes, source_object (the s3:// URI of the raw object the kept
--   copy came from), duplicate_objects (array of the URIs of the copies dropped as its duplicates,
--   NULL when it came once), then partition keys year, month, day, hour (varchar, zero-padded, UTC
--   event time). The two lineage columns let the refine count, from what it wrote, the rows of each
--   raw object that were refined and that were dropped as duplicates (row accounting).
-- Determinism: a row depends only on the valid readings of its sensor in
--   [hour start - lookback, reading], whatever window the caller asks for, because every reading is
--   framed once per partition hour it feeds (its own hour, and the next hour inside the lookback).
--   Readings with the same uniqueid and event time are one reading delivered twice: the copy that
--   sorts first on (recordtimestamp, currentspeed, bezettingsgraad, previousspeed, classes 2-5, source
--   object) is kept, so the same copy is kept whatever the order the objects landed in.
WITH parsed AS (
  SELECT
    uniqueid,
    recordtimestamp,
    CAST(try(from_iso8601_timestamp(recordtimestamp)) AT TIME ZONE 'UTC' AS timestamp) AS eventtime,
    currentspeed,
    bezettingsgraad,
    previousspeed,
    trafficintensityclass2,
    trafficintensityclass3,
    trafficintensityclass4,
    trafficintensityclass5,
    "$path" AS source_object
  FROM :raw_database.traffic
  WHERE "$path" IN (:objects)
),
valid AS (
  SELECT *
  FROM parsed
  WHERE uniqueid IS NOT NULL AND uniqueid <> ''
    AND eventtime IS NOT NULL
    AND currentspeed BETWEEN 0 AND 250
    AND bezettingsgraad BETWEEN 0 AND 100
    AND eventtime >= CAST(:window_start AS timestamp) - INTERVAL '1' MINUTE * :lookback_minutes
    AND eventtime < CAST(:window_end AS timestamp)
),
deduplicated AS (
  SELECT *
  FROM (
    SELECT
      v.*,
      row_number() OVER (
        PARTITION BY uniqueid, eventtime
        ORDER BY recordtimestamp, currentspeed, bezettingsgraad, previousspeed,
          trafficintensityclass2, trafficintensityclass3, trafficintensityclass4, trafficintensityclass5, source_object
      ) AS copy_rank,
      array_agg(source_object) OVER (
        PARTITION BY uniqueid, eventtime
        ORDER BY recordtimestamp, currentspeed, bezettingsgraad, previousspeed,
          trafficintensityclass2, trafficintensityclass3, trafficintensityclass4, trafficintensityclass5, source_object
        ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING
      ) AS duplicate_objects
    FROM valid v
  ) ranked
  WHERE copy_rank = 1
),
framed AS (
  SELECT d.*, date_trunc('hour', d.eventtime) + INTERVAL '1' HOUR * t.shift AS partition_hour
  FROM deduplicated d
  CROSS JOIN UNNEST(ARRAY[0, 1]) AS t(shift)
  WHERE t.shift = 0
    OR d.eventtime >= date_trunc('hour', d.eventtime) + INTERVAL '1' HOUR - INTERVAL '1' MINUTE * :lookback_minutes
),
windowed AS (
  SELECT
    f.*,
    CASE
      WHEN currentspeed - previousspeed >= 20 THEN 1
      WHEN currentspeed - previousspeed <= -20 THEN -1
      ELSE 0
    END AS speeddiffindicator,
    avg(currentspeed) OVER (
      PARTITION BY uniqueid, partition_hour ORDER BY eventtime ROWS BETWEEN 2 PRECEDING AND CURRENT ROW
    ) AS avgspeed3minutes,
    avg(currentspeed) OVER (
      PARTITION BY uniqueid, partition_hour ORDER BY eventtime ROWS BETWEEN 19 PRECEDING AND CURRENT ROW
    ) AS avgspeed20minutes
  FROM framed f
  WHERE partition_hour >= CAST(:window_start AS timestamp)
    AND partition_hour < CAST(:window_end AS timestamp)
)
SELECT
  uniqueid,
  recordtimestamp,
  eventtime,
  currentspeed,
  bezettingsgraad,
  previousspeed,
  CASE
    WHEN avgspeed3minutes BETWEEN 0 AND 40 THEN 1
    WHEN avgspeed3minutes BETWEEN 41 AND 250 THEN 0
    ELSE -1
  END AS trafficjamindicator,
  CASE
    WHEN avgspeed20minutes BETWEEN 0 AND 40 THEN 1
    WHEN avgspeed20minutes BETWEEN 41 AND 250 THEN 0
    ELSE -1
  END AS trafficjamindicatorlong,
  trafficintensityclass2,
  trafficintensityclass3,
  trafficintensityclass4,
  trafficintensityclass5,
  speeddiffindicator,
  avgspeed3minutes,
  avgspeed20minutes,
  source_object,
  duplicate_objects,
  lpad(CAST(year(eventtime) AS varchar), 4, '0') AS year,
  lpad(CAST(month(eventtime) AS varchar), 2, '0') AS month,
  lpad(CAST(day(eventtime) AS varchar), 2, '0') AS day,
  lpad(CAST(hour(eventtime) AS varchar), 2, '0') AS hour
FROM windowed
WHERE date_trunc('hour', eventtime) = partition_hour
