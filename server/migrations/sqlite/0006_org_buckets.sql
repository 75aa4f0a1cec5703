-- The organization's totals per day, site and measure, kept in step with device_buckets by
-- triggers in the same transaction as each upsert: the trends query reads a few thousand
-- rows for a month however many phones an organization has. Stored in key order (WITHOUT
-- ROWID), so a month of one organization is one contiguous range.

CREATE TABLE org_buckets (
    org_id INTEGER NOT NULL REFERENCES orgs (id),
    day TEXT NOT NULL,
    site TEXT NOT NULL,
    dimension TEXT NOT NULL,
    value TEXT NOT NULL,
    count INTEGER NOT NULL CHECK (count >= 0),
    PRIMARY KEY (org_id, day, site, dimension, value)
) WITHOUT ROWID;

INSERT INTO org_buckets (org_id, day, site, dimension, value, count)
SELECT org_id, day, site, dimension, value, SUM(count)
FROM device_buckets
GROUP BY org_id, day, site, dimension, value;

CREATE TRIGGER device_buckets_roll_up_insert AFTER INSERT ON device_buckets
BEGIN
    INSERT INTO org_buckets (org_id, day, site, dimension, value, count)
    VALUES (NEW.org_id, NEW.day, NEW.site, NEW.dimension, NEW.value, NEW.count)
    ON CONFLICT (org_id, day, site, dimension, value) DO UPDATE SET count = count + excluded.count;
END;

CREATE TRIGGER device_buckets_roll_up_update AFTER UPDATE OF count ON device_buckets
WHEN NEW.count <> OLD.count
BEGIN
    UPDATE org_buckets SET count = count + NEW.count - OLD.count
    WHERE org_id = NEW.org_id AND day = NEW.day AND site = NEW.site
      AND dimension = NEW.dimension AND value = NEW.value;
END;
