-- Enrolment survives a lost answer: a device remembers the code that enrolled it and a hash
-- of the installation that asked, so the same installation retrying with the same code, within
-- the code's life, gets the same device (and token) back, and nobody else does.
ALTER TABLE devices ADD COLUMN code_hash TEXT;
ALTER TABLE devices ADD COLUMN installation_hash TEXT;
CREATE INDEX devices_enrolled_by ON devices (code_hash, installation_hash);
