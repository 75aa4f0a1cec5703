-- How many days back a worker may date, edit or delete an entry on the phone; travels on sync.
ALTER TABLE orgs ADD COLUMN edit_window_days INTEGER NOT NULL DEFAULT 7;
