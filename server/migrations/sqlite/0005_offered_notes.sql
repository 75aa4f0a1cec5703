-- Insight notes workers offered for the trend brief, each waiting for a manager's review.
-- Only the note's text and the Monday of its week arrive; the entry id makes a resend a no-op.

CREATE TABLE offered_notes (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES orgs (id),
    device_id TEXT NOT NULL REFERENCES devices (id),
    entry_id TEXT NOT NULL,
    week TEXT NOT NULL,
    text TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    received_at TEXT NOT NULL,
    reviewed_at TEXT,
    UNIQUE (device_id, entry_id)
);

CREATE INDEX offered_notes_by_org ON offered_notes (org_id, status, week);
