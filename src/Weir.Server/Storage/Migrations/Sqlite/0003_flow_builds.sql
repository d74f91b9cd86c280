CREATE TABLE flow_builds (
    id TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    content BLOB NOT NULL,
    created TEXT NOT NULL);

ALTER TABLE deployments ADD COLUMN build_id TEXT;
