-- Least privilege (issue 16). A deployment's blocks: list: the blocks its flow code reads beyond those its pull steps
-- refer to, which its runs' tokens may read.
ALTER TABLE deployments ADD COLUMN blocks TEXT NOT NULL DEFAULT '[]';

-- The worker key that claimed a run's current attempt (its name in WEIR_WORKER_API_KEYS; NULL for the admin key or a
-- server without keys): only it, the run's token and the admin may report the run.
ALTER TABLE flow_runs ADD COLUMN claimed_by TEXT;

-- A worker is its name in a pool under one worker key ('' for the admin key or none): a key's heart-beats keep its own
-- workers alive, never another key's worker of the same name.
CREATE TABLE workers_by_key (
    pool TEXT NOT NULL,
    name TEXT NOT NULL,
    worker_key TEXT NOT NULL DEFAULT '',
    last_heartbeat TEXT NOT NULL,
    PRIMARY KEY (pool, name, worker_key));
INSERT INTO workers_by_key (pool, name, worker_key, last_heartbeat) SELECT pool, name, '', last_heartbeat FROM workers;
DROP TABLE workers;
ALTER TABLE workers_by_key RENAME TO workers;
