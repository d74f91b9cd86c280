CREATE TABLE flow_builds (
    id TEXT PRIMARY KEY,
    size BIGINT NOT NULL,
    content BYTEA NOT NULL,
    created TIMESTAMPTZ NOT NULL);

ALTER TABLE deployments ADD COLUMN build_id TEXT;
