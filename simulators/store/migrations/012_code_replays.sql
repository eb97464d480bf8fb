-- A code once accepted is kept, marked used, until it expires or a new one replaces it: sent again,
-- it is a replay (a security event, not a guess) rather than a wrong code.
ALTER TABLE one_time_code ADD COLUMN used_at timestamptz;
-- Replayed codes refused in a login in progress: at the lockout count the login ends.
ALTER TABLE login_transaction ADD COLUMN replays integer NOT NULL DEFAULT 0;
