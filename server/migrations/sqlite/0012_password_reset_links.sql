-- A sign-in link may be a password reset for one existing person (user_id set) rather than
-- the offer of a new account (user_id NULL). Each kind is redeemed only where it belongs.
ALTER TABLE sign_in_links ADD COLUMN user_id INTEGER REFERENCES users (id);
