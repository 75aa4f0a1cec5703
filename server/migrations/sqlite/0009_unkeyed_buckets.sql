-- The buckets still waiting for their cell key (stored before migration `cell_keys`): the
-- service looks for them at every start, and with this index that look costs nothing once
-- every bucket has its key, however many there are.
CREATE INDEX device_buckets_unkeyed ON device_buckets (device_id) WHERE cell_key IS NULL;
