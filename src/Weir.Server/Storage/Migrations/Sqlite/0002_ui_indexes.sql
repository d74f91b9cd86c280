-- The web UI's lists: runs by state (and the Late/Crashed panels), by flow and by deployment, newest first.
-- Each index ends in (created, id), the lists' order, so a page of the newest runs is read straight off it.
-- The dashboard's runs-by-hour-and-state count reads (created, state_type) alone.
CREATE INDEX flow_runs_state_created ON flow_runs (state_type, created, id);
CREATE INDEX flow_runs_state_name_created ON flow_runs (state_name, created, id);
CREATE INDEX flow_runs_flow_created ON flow_runs (flow_name, created, id);
CREATE INDEX flow_runs_deployment_created ON flow_runs (deployment_name, created, id);
CREATE INDEX flow_runs_created_state ON flow_runs (created, state_type);
CREATE INDEX flow_runs_created_id ON flow_runs (created, id);
DROP INDEX flow_runs_created; -- replaced by the two above
