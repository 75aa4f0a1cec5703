-- Each person's language on the organization's app: an interface language tag (en, es, fr,
-- pt, ar), or NULL to follow the browser.
ALTER TABLE users ADD COLUMN language TEXT;
