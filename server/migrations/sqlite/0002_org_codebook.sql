-- Each organization's own codebook, as JSON carrying its version; NULL means the built-in
-- harm-reduction codebook (version 1). The separate version column becomes redundant.
ALTER TABLE orgs ADD COLUMN codebook TEXT;
ALTER TABLE orgs DROP COLUMN codebook_version;
