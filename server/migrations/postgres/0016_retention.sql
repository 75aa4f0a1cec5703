-- Retention: an organization may keep each phone's own counts of a day for some months only.
-- Older days fold: their device_buckets rows are deleted while org_buckets keeps the totals
-- and their cell-key sums (no trigger runs on delete), so every published value stays as it
-- was. `closed_through` is the last folded day: a later sync of a bucket on or before it is
-- answered "closed" and stored nowhere.
ALTER TABLE orgs ADD COLUMN keep_phone_rows_months BIGINT;
ALTER TABLE orgs ADD COLUMN closed_through TEXT;

-- What of a folded row some published figures still need: which phone counted something of
-- a measure on a day at a site, without the count, its version or its key. Phones-active
-- indicators, the two-phone rule for naming free tags, first use of a free tag and rises
-- count distinct phones over any period, which no total can give.
CREATE TABLE folded_presence (
    org_id BIGINT NOT NULL REFERENCES orgs (id),
    dimension TEXT NOT NULL,
    day TEXT NOT NULL,
    value TEXT NOT NULL,
    site TEXT NOT NULL,
    device_id TEXT NOT NULL,
    PRIMARY KEY (org_id, dimension, day, value, site, device_id)
);
