-- A run's short id is the start of its id's random tail (the last group of a UUIDv7; the first groups are a
-- timestamp, alike for runs created together). New runs get one no other run has (SqlStore.CreateRunsAsync),
-- and `weir flow-run … PREFIX` finds runs by it. Not unique: runs made before this index may share one.
CREATE INDEX flow_runs_short_id ON flow_runs (substr(id, 25, 8));
