-- Access an admin took away: the account stays (its name is not reused) but cannot sign in.
ALTER TABLE users ADD COLUMN disabled_at TEXT;
