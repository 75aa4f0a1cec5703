-- Usernames are unique within an organization, not across the service: one organization's
-- "admin" no longer blocks every other's, and nobody learns another organization's names by
-- trying to take them. Signing in names the organization by its handle, which the service
-- gives each existing organization from its name at start (handle IS NULL until then).
--
-- SQLite cannot drop a column's UNIQUE constraint, so users is rebuilt, and sessions with it:
-- dropping a table that rows still refer to fails with foreign keys on, so the new sessions
-- table refers to the new users table, both old ones go (children first), and renaming the
-- new users table makes SQLite point the new sessions' reference at its final name.

ALTER TABLE orgs ADD COLUMN handle TEXT;
CREATE UNIQUE INDEX orgs_handle ON orgs (handle);

CREATE TABLE users_scoped (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES orgs (id),
    username TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'manager', 'viewer')),
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    disabled_at TEXT,
    UNIQUE (org_id, username)
);
INSERT INTO users_scoped (id, org_id, username, role, password_hash, created_at, disabled_at)
SELECT id, org_id, username, role, password_hash, created_at, disabled_at FROM users;

CREATE TABLE sessions_scoped (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users_scoped (id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
INSERT INTO sessions_scoped (token_hash, user_id, csrf_token, created_at, expires_at)
SELECT token_hash, user_id, csrf_token, created_at, expires_at FROM sessions;

DROP TABLE sessions;
DROP TABLE users;
ALTER TABLE users_scoped RENAME TO users;
ALTER TABLE sessions_scoped RENAME TO sessions;
