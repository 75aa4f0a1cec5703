-- Cell keys (the cell-key method of disclosure control): every device bucket carries a
-- 32-bit key the service derives from a secret of its organization, and the organization's
-- totals carry the sum of their buckets' keys modulo 2^32, kept by the same triggers as the
-- counts. Rows stored before this migration get their key from the service at start
-- (cell_key IS NULL until then).

ALTER TABLE orgs ADD COLUMN cell_key_secret TEXT;
UPDATE orgs SET cell_key_secret = lower(hex(randomblob(32)));

ALTER TABLE device_buckets ADD COLUMN cell_key INTEGER;
ALTER TABLE org_buckets ADD COLUMN cell_key INTEGER NOT NULL DEFAULT 0;

DROP TRIGGER device_buckets_roll_up_insert;
DROP TRIGGER device_buckets_roll_up_update;

CREATE TRIGGER device_buckets_roll_up_insert AFTER INSERT ON device_buckets
BEGIN
    INSERT INTO org_buckets (org_id, day, site, dimension, value, count, cell_key)
    VALUES (NEW.org_id, NEW.day, NEW.site, NEW.dimension, NEW.value, NEW.count,
            coalesce(NEW.cell_key, 0))
    ON CONFLICT (org_id, day, site, dimension, value) DO UPDATE
    SET count = count + excluded.count,
        cell_key = (cell_key + excluded.cell_key) % 4294967296;
END;

CREATE TRIGGER device_buckets_roll_up_update AFTER UPDATE OF count, cell_key ON device_buckets
WHEN NEW.count <> OLD.count OR coalesce(NEW.cell_key, 0) <> coalesce(OLD.cell_key, 0)
BEGIN
    UPDATE org_buckets
    SET count = count + NEW.count - OLD.count,
        cell_key = (cell_key + coalesce(NEW.cell_key, 0) - coalesce(OLD.cell_key, 0)
                    + 4294967296) % 4294967296
    WHERE org_id = NEW.org_id AND day = NEW.day AND site = NEW.site
      AND dimension = NEW.dimension AND value = NEW.value;
END;

-- Which phones used a free tag in a period (a tag is named only when two did) reads one
-- dimension of the period's rows.
CREATE INDEX device_buckets_org_dimension_day ON device_buckets (org_id, dimension, day);
