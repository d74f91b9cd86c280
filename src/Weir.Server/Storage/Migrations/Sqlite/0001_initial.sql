CREATE TABLE flows (
    name TEXT PRIMARY KEY,
    created TEXT NOT NULL);

CREATE TABLE work_pools (
    name TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    concurrency_limit INTEGER,
    paused INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL,
    updated TEXT NOT NULL);

CREATE TABLE workers (
    pool TEXT NOT NULL,
    name TEXT NOT NULL,
    last_heartbeat TEXT NOT NULL,
    PRIMARY KEY (pool, name));

CREATE TABLE deployments (
    id TEXT PRIMARY KEY,
    flow_name TEXT NOT NULL,
    name TEXT NOT NULL,
    entrypoint TEXT NOT NULL,
    pull_steps TEXT NOT NULL,
    structure TEXT NOT NULL,
    structure_hash TEXT NOT NULL,
    parameter_schema TEXT NOT NULL,
    parameters TEXT NOT NULL,
    work_pool TEXT NOT NULL,
    job_variables TEXT,
    schedules TEXT NOT NULL,
    tags TEXT NOT NULL,
    description TEXT,
    retries INTEGER NOT NULL,
    retry_delay REAL NOT NULL,
    version INTEGER NOT NULL,
    version_key TEXT NOT NULL,
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    UNIQUE (flow_name, name));

CREATE TABLE flow_runs (
    id TEXT PRIMARY KEY,
    flow_name TEXT NOT NULL,
    deployment_id TEXT,
    deployment_name TEXT,
    parameters TEXT NOT NULL,
    state_type TEXT NOT NULL,
    state_name TEXT NOT NULL,
    state_message TEXT,
    state_time TEXT NOT NULL,
    work_pool TEXT,
    worker TEXT,
    run_count INTEGER NOT NULL DEFAULT 0,
    retries INTEGER NOT NULL DEFAULT 0,
    retry_delay REAL NOT NULL DEFAULT 0,
    expected_start TEXT NOT NULL,
    scheduled_for TEXT,
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    commit_sha TEXT,
    manifest_hash TEXT,
    content_hash TEXT,
    drift_warning TEXT,
    cancel_requested INTEGER NOT NULL DEFAULT 0);
CREATE UNIQUE INDEX flow_runs_schedule ON flow_runs (deployment_id, scheduled_for);
CREATE INDEX flow_runs_ready ON flow_runs (work_pool, state_type, expected_start);
CREATE INDEX flow_runs_worker ON flow_runs (worker, state_type);
CREATE INDEX flow_runs_created ON flow_runs (created);

CREATE TABLE flow_run_states (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    flow_run_id TEXT NOT NULL,
    state_type TEXT NOT NULL,
    state_name TEXT NOT NULL,
    message TEXT,
    time TEXT NOT NULL);
CREATE INDEX flow_run_states_run ON flow_run_states (flow_run_id, id);

CREATE TABLE task_runs (
    id TEXT PRIMARY KEY,
    flow_run_id TEXT NOT NULL,
    parent_id TEXT,
    task_name TEXT NOT NULL,
    task_key TEXT NOT NULL,
    parameters TEXT NOT NULL,
    state_type TEXT NOT NULL,
    state_name TEXT NOT NULL,
    state_message TEXT,
    state_time TEXT NOT NULL,
    created TEXT NOT NULL);
CREATE INDEX task_runs_run ON task_runs (flow_run_id);

CREATE TABLE task_run_states (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    task_run_id TEXT NOT NULL,
    state_type TEXT NOT NULL,
    state_name TEXT NOT NULL,
    message TEXT,
    time TEXT NOT NULL);
CREATE INDEX task_run_states_run ON task_run_states (task_run_id, id);

CREATE TABLE logs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    flow_run_id TEXT NOT NULL,
    task_run_id TEXT,
    time TEXT NOT NULL,
    level TEXT NOT NULL,
    source TEXT NOT NULL,
    message TEXT NOT NULL);
CREATE INDEX logs_run ON logs (flow_run_id, id);

CREATE TABLE block_types (
    slug TEXT PRIMARY KEY,
    description TEXT NOT NULL,
    fields TEXT NOT NULL,
    secret_fields TEXT NOT NULL);

CREATE TABLE block_documents (
    block_type TEXT NOT NULL,
    name TEXT NOT NULL,
    fields TEXT NOT NULL,
    secrets TEXT,
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    PRIMARY KEY (block_type, name));

CREATE TABLE variables (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    created TEXT NOT NULL,
    updated TEXT NOT NULL);
