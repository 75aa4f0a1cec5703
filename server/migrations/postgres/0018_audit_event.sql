-- Each entry's particulars, typed: a `peerpulse_core::audit::AuditEvent` as JSON (names, ids
-- and counts only), which the apps say in the reader's language. Entries written before keep
-- their English `detail`, shown as it was; new entries leave `detail` empty.
ALTER TABLE audit_log ADD COLUMN event TEXT;
