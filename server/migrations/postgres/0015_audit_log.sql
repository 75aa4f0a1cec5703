-- Who signed in, exported and changed what, when and from where: names and ids only, never a
-- note's words, a free tag, a token or a password.
CREATE TABLE audit_log (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id BIGINT NOT NULL REFERENCES orgs (id),
    at TEXT NOT NULL,
    who TEXT NOT NULL,
    address TEXT,
    action TEXT NOT NULL,
    detail TEXT
);

CREATE INDEX audit_log_org_newest ON audit_log (org_id, id);
