-- What a phone's managers call it ("Van team"), instead of its id: an alias or a team, checked
-- by the free-text guard; NULL until someone names it.
ALTER TABLE devices ADD COLUMN label TEXT;
