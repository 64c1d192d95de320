-- Purpose: the invalid raw traffic readings of some raw objects, each with the reason it was
--   rejected, for the rejects table (nothing the refine filters out is silently dropped).
-- Dialect: Athena engine v3 (Trino). The caller wraps this SELECT in an UNLOAD.
-- Source: :raw_database.traffic (:raw_database is <prefix>_raw, bound as an identifier), the dataset's one raw table, whatever the key layout below
--   raw/traffic/ (root files, arrival-hour folders, hive folders, mixed): no partition column is
--   read, so the table may have any partition keys or none.
-- Parameters (named placeholders, bound by the caller as quoted literals, never pasted):
--   :objects       list of varchar, the s3:// URIs of the raw objects whose rejects are wanted (the
--                  local engine reads only these files)
-- Output: one row per invalid raw row of each raw object, repeats included (every row read is
--   accounted for: refined, rejected here, or dropped as a duplicate of a refined reading): the raw
--   columns, source_object (the object's s3:// URI, so rejects are kept and counted per run), reason.
--   Reasons, the first that applies: missing_unique_id, bad_record_timestamp, missing_current_speed,
--   speed_sentinel (> 250, the feed's 251-255 codes), negative_speed, occupancy_out_of_range (missing
--   or outside 0-100). The same predicate, negated, is the validity filter of refine.sql.
SELECT
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
  reason
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
    END AS reason
  FROM :raw_database.traffic r
  WHERE r."$path" IN (:objects)
) classified
WHERE reason IS NOT NULL
