-- Organizations, device enrolment and per-device trend buckets.
-- Times are RFC 3339 UTC text ("2026-11-24T16:00:00Z"), which sorts and compares as time.

CREATE TABLE orgs (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    suppression_threshold INTEGER NOT NULL DEFAULT 5,
    codebook_version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);

-- Only a hash of each one-time code is kept.
CREATE TABLE enrolment_codes (
    code_hash TEXT PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES orgs (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);

-- Only a hash of each device token is kept.
CREATE TABLE devices (
    id TEXT PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES orgs (id),
    token_hash TEXT NOT NULL UNIQUE,
    enrolled_at TEXT NOT NULL,
    last_sync_at TEXT,
    revoked_at TEXT
);

-- Each device's latest count per bucket; org totals are sums over devices.
CREATE TABLE device_buckets (
    device_id TEXT NOT NULL REFERENCES devices (id),
    org_id INTEGER NOT NULL REFERENCES orgs (id),
    day TEXT NOT NULL,
    site TEXT NOT NULL,
    dimension TEXT NOT NULL,
    value TEXT NOT NULL,
    count INTEGER NOT NULL CHECK (count >= 0),
    version INTEGER NOT NULL CHECK (version > 0),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (device_id, day, site, dimension, value)
);

CREATE INDEX device_buckets_org_day ON device_buckets (org_id, day);
