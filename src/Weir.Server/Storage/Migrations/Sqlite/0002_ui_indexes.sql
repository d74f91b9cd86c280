-- The web UI's lists: runs by state (and Late/Crashed panels), by flow and by deployment, newest first;
-- the dashboard's runs-by-hour-and-state count reads (created, state_type) alone.
CREATE INDEX flow_runs_state_created ON flow_runs (state_type, created);
CREATE INDEX flow_runs_state_name_created ON flow_runs (state_name, created);
CREATE INDEX flow_runs_flow_created ON flow_runs (flow_name, created);
CREATE INDEX flow_runs_deployment_created ON flow_runs (deployment_name, created);
CREATE INDEX flow_runs_created_state ON flow_runs (created, state_type);
DROP INDEX flow_runs_created; -- covered by flow_runs_created_state
