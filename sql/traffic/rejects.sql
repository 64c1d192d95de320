-- Purpose: the invalid raw traffic readings of some arrival hours, each with the reason it was
--   rejected, for the rejects table (nothing the refine filters out is silently dropped).
-- Dialect: Athena engine v3 (Trino). The caller wraps this SELECT in INSERT INTO / CTAS / COPY.
-- Source: tributary_raw.traffic, whose partitions partition_0..partition_3 are the Firehose
--   ARRIVAL folders YYYY/MM/DD/HH (a reading without a parseable time has no event-time partition,
--   so rejects are kept by where they landed).
-- Parameters (named placeholders, bound by the caller as quoted literals, never pasted):
--   :arrival_from  varchar 'YYYYMMDDHH', first arrival hour (inclusive)
--   :arrival_to    varchar 'YYYYMMDDHH', last arrival hour (inclusive)
--   :objects       list of varchar, the s3:// URIs of the raw objects whose rejects are wanted (the
--                  local engine reads only these files)
-- Output: one row per distinct invalid raw row of each raw object: the raw columns, source_object
--   (the object's s3:// URI, so rejects are kept and counted per run), reason, then partition keys year,
--   month, day, hour of ARRIVAL (varchar, zero-padded). Reasons, the first that applies:
--   missing_unique_id, bad_record_timestamp, missing_current_speed, speed_sentinel (> 250, the
--   feed's 251-255 codes), negative_speed, occupancy_out_of_range (missing or outside 0-100).
--   The same predicate, negated, is the validity filter of refine.sql.
SELECT DISTINCT
  uniqueid,
  recordtimestamp,
  currentspeed,
  bezettingsgraad,
  previousspeed,
  trafficintensityclass2,
  trafficintensityclass3,
  trafficintensityclass4,
  trafficintensityclass5,
  source_object,
  reason,
  year,
  month,
  day,
  hour
FROM (
  SELECT
    r.*,
    r."$path" AS source_object,
    CASE
      WHEN uniqueid IS NULL OR uniqueid = '' THEN 'missing_unique_id'
      WHEN try(from_iso8601_timestamp(recordtimestamp)) IS NULL THEN 'bad_record_timestamp'
      WHEN currentspeed IS NULL THEN 'missing_current_speed'
      WHEN currentspeed > 250 THEN 'speed_sentinel'
      WHEN currentspeed < 0 THEN 'negative_speed'
      WHEN bezettingsgraad IS NULL OR bezettingsgraad < 0 OR bezettingsgraad > 100 THEN 'occupancy_out_of_range'
    END AS reason,
    partition_0 AS year,
    partition_1 AS month,
    partition_2 AS day,
    partition_3 AS hour
  FROM tributary_raw.traffic r
  WHERE concat(partition_0, partition_1, partition_2, partition_3) BETWEEN :arrival_from AND :arrival_to
    AND r."$path" IN (:objects)
) classified
WHERE reason IS NOT NULL
