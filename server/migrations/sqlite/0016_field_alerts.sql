-- Alerts that go back to the workers' phones (core::field_alert): each with its latest
-- version's content (JSON), who wrote that version, and where it is in its life, and the
-- version phones show (the last approved: an update waiting for approval leaves it up); every step
-- of its life in field_alert_events (who drafted, updated, approved, withdrew, and when); and
-- per phone, the version it received and whether its worker passed it on.
CREATE TABLE field_alerts (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES orgs (id),
    version INTEGER NOT NULL CHECK (version > 0),
    status TEXT NOT NULL CHECK (status IN ('draft', 'published', 'withdrawn')),
    content TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    author TEXT NOT NULL,
    published_version INTEGER,
    published_content TEXT,
    published_expires_at TEXT,
    published_at TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX field_alerts_org ON field_alerts (org_id, status);

CREATE TABLE field_alert_events (
    id INTEGER PRIMARY KEY,
    alert_id INTEGER NOT NULL REFERENCES field_alerts (id),
    version INTEGER NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('drafted', 'updated', 'approved', 'withdrawn')),
    by_user TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX field_alert_events_alert ON field_alert_events (alert_id);

CREATE TABLE field_alert_receipts (
    alert_id INTEGER NOT NULL REFERENCES field_alerts (id),
    device_id TEXT NOT NULL REFERENCES devices (id),
    version INTEGER NOT NULL,
    received_at TEXT NOT NULL,
    passed_on_at TEXT,
    PRIMARY KEY (alert_id, device_id)
);

-- Whether a second person must approve an alert before it goes out (the default).
ALTER TABLE orgs ADD COLUMN alerts_two_person INTEGER NOT NULL DEFAULT 1;
