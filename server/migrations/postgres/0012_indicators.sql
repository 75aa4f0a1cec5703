-- An organization's program indicators and their DHIS2 mapping, as one JSON document
-- (core::org_api::IndicatorBook) written by compare-and-set; NULL until a manager defines one.
ALTER TABLE orgs ADD COLUMN indicators TEXT;
