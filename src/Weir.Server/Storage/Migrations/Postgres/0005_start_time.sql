-- When a run first started Running, so lists can show how long runs took without reading their histories.
ALTER TABLE flow_runs ADD COLUMN start_time TIMESTAMPTZ;
UPDATE flow_runs SET start_time = (SELECT MIN(s.time) FROM flow_run_states s WHERE s.flow_run_id = flow_runs.id AND s.state_type = 'Running');
