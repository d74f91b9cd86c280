-- The kubernetes pool: a pool's job template (job_manifest + variables, JSON), and when any worker last listed a run as alive in a
-- heart-beat (a worker of the pool that sees the run's Job running), so a run outlives the worker that claimed it.
ALTER TABLE work_pools ADD COLUMN base_job_template TEXT;
ALTER TABLE flow_runs ADD COLUMN alive_at TEXT;
