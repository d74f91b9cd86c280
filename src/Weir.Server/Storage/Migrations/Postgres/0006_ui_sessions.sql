-- Web UI logins (issue 16): one row per login, keyed by an HMAC of its random cookie value under the admin key, so
-- the cookie itself is never stored and a new admin key ends every session. Logging out deletes the row; a session
-- unused for longer than the idle timeout, or older than its lifetime, no longer counts and is deleted when met.
CREATE TABLE ui_sessions (
    token_hash TEXT PRIMARY KEY,
    created TIMESTAMPTZ NOT NULL,
    last_seen TIMESTAMPTZ NOT NULL);
