-- Service management: the incident's whole life (comments, work notes, attachments, target
-- resolution, reopening) and the notifications a User must see in the SSI.

ALTER TABLE incident ADD COLUMN affected_service text NOT NULL DEFAULT '';
ALTER TABLE incident ADD COLUMN target_resolution_at timestamptz;
ALTER TABLE incident ADD COLUMN reopen_count integer NOT NULL DEFAULT 0;
CREATE INDEX incident_resolved ON incident (state, resolved_at);

-- ServiceNow's sys_journal_field: comments the User sees, work notes only DCC sees.
CREATE TABLE journal_entry (
  sys_id         text PRIMARY KEY,
  party_id       text NOT NULL REFERENCES party (id),
  table_name     text NOT NULL,
  element_id     text NOT NULL,
  element        text NOT NULL CHECK (element IN ('comments', 'work_notes')),
  value          text NOT NULL,
  sys_created_by text NOT NULL,
  sys_created_on timestamptz NOT NULL
);
CREATE INDEX journal_entry_element ON journal_entry (element_id, sys_created_on);

CREATE TABLE attachment (
  sys_id         text PRIMARY KEY,
  party_id       text NOT NULL REFERENCES party (id),
  table_name     text NOT NULL,
  table_sys_id   text NOT NULL,
  file_name      text NOT NULL,
  content_type   text NOT NULL,
  size_bytes     integer NOT NULL,
  hash           text NOT NULL,
  content        bytea NOT NULL,
  sys_created_by text NOT NULL,
  sys_created_on timestamptz NOT NULL
);
CREATE INDEX attachment_record ON attachment (table_sys_id);

CREATE TABLE notification (
  sys_id        text PRIMARY KEY,
  party_id      text NOT NULL REFERENCES party (id),
  account_id    text NOT NULL REFERENCES account (id) ON DELETE CASCADE,
  subject       text NOT NULL,
  body          text NOT NULL,
  record_table  text,
  record_sys_id text,
  read_at       timestamptz,
  created_at    timestamptz NOT NULL
);
CREATE INDEX notification_account ON notification (account_id, created_at);
