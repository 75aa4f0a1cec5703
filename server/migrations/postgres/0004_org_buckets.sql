-- The organization's totals per day, site and measure, kept in step with device_buckets by a
-- trigger in the same transaction as each upsert: the trends query reads a few thousand rows
-- for a month however many phones an organization has. Rows are touched in the order the
-- service sorts each batch, so concurrent syncs of one organization lock them in one order.

CREATE TABLE org_buckets (
    org_id BIGINT NOT NULL REFERENCES orgs (id),
    day TEXT NOT NULL,
    site TEXT NOT NULL,
    dimension TEXT NOT NULL,
    value TEXT NOT NULL,
    count BIGINT NOT NULL CHECK (count >= 0),
    PRIMARY KEY (org_id, day, site, dimension, value)
);

INSERT INTO org_buckets (org_id, day, site, dimension, value, count)
SELECT org_id, day, site, dimension, value, SUM(count)
FROM device_buckets
GROUP BY org_id, day, site, dimension, value;

CREATE FUNCTION device_buckets_roll_up() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO org_buckets AS o (org_id, day, site, dimension, value, count)
        VALUES (NEW.org_id, NEW.day, NEW.site, NEW.dimension, NEW.value, NEW.count)
        ON CONFLICT (org_id, day, site, dimension, value) DO UPDATE SET count = o.count + excluded.count;
    ELSE
        -- A plain update: an upsert would check its (possibly negative) change against the
        -- table's CHECK before finding the row.
        UPDATE org_buckets SET count = count + NEW.count - OLD.count
        WHERE org_id = NEW.org_id AND day = NEW.day AND site = NEW.site
          AND dimension = NEW.dimension AND value = NEW.value;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER device_buckets_roll_up_insert AFTER INSERT ON device_buckets
FOR EACH ROW EXECUTE FUNCTION device_buckets_roll_up();

CREATE TRIGGER device_buckets_roll_up_update AFTER UPDATE OF count ON device_buckets
FOR EACH ROW WHEN (NEW.count <> OLD.count) EXECUTE FUNCTION device_buckets_roll_up();
