-- Issue 17, second part. An OAuth access token records the app it was issued to, so that
-- /oauth_revoke_token.do can refuse an app revoking another app's token (RFC 7009 section 2.1).
ALTER TABLE session ADD COLUMN client_id text;

-- Inbound REST API rate limiting (off unless configured): each account's requests in the current
-- hour, one row per account, counted by one statement per request, so that every process sharing
-- the database counts together.
CREATE TABLE api_rate_count (
  account_id   text PRIMARY KEY REFERENCES account (id) ON DELETE CASCADE,
  window_start timestamptz NOT NULL,
  count        integer NOT NULL
);

-- ServiceNow's Deleted Records (sys_audit_delete): what a deletion removed, as it was, so that a
-- deletion (allowed only by configuration) loses no audit. The incident's journal stays where it is.
CREATE TABLE deleted_record (
  sys_id         text PRIMARY KEY,
  party_id       text NOT NULL REFERENCES party (id),
  table_name     text NOT NULL,
  document_key   text NOT NULL,
  payload        jsonb NOT NULL,
  sys_created_by text NOT NULL,
  sys_created_on timestamptz NOT NULL
);
CREATE INDEX deleted_record_document ON deleted_record (document_key);
