-- Enrolment codes are stored as an HMAC under a key kept outside the database (see
-- secrets::CodeKey), no longer as a plain SHA-256 that a stolen backup reverses by trying
-- every code. Codes issued before stay usable, by their old hash, until they expire.
ALTER TABLE enrolment_codes ADD COLUMN keyed INTEGER NOT NULL DEFAULT 0;
