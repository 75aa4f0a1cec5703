-- Usernames are unique within an organization, not across the service: one organization's
-- "admin" no longer blocks every other's, and nobody learns another organization's names by
-- trying to take them. Signing in names the organization by its handle, which the service
-- gives each existing organization from its name at start (handle IS NULL until then).

ALTER TABLE orgs ADD COLUMN handle TEXT;
CREATE UNIQUE INDEX orgs_handle ON orgs (handle);

ALTER TABLE users DROP CONSTRAINT users_username_key;
ALTER TABLE users ADD CONSTRAINT users_org_username UNIQUE (org_id, username);
