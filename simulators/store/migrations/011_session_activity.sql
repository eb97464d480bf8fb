-- Every authenticated request now records its time as the session's last request (idle time is exact).
-- Sessions need not survive a crash of the database (people sign in again), so the table skips the
-- write-ahead log: on PostgreSQL that write then costs no flush to disk per request.
ALTER TABLE session SET UNLOGGED;
