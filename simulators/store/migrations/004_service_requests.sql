-- Service requests through the catalogue (SM-04, SM-05, SM-06): requests, their items, and what a
-- fulfilled ADT submission changes (the party's thresholds). Also the party's file-signing key.

ALTER TABLE party ADD COLUMN signing_key text;

CREATE SEQUENCE request_number START 10001;
CREATE SEQUENCE request_item_number START 10001;

CREATE TABLE sc_request (
  sys_id         text PRIMARY KEY,
  number         text NOT NULL UNIQUE,
  party_id       text NOT NULL REFERENCES party (id),
  requested_for  text NOT NULL REFERENCES account (id),
  sys_created_on timestamptz NOT NULL,
  sys_created_by text NOT NULL
);

CREATE TABLE sc_req_item (
  sys_id           text PRIMARY KEY,
  number           text NOT NULL UNIQUE,
  request_id       text NOT NULL REFERENCES sc_request (sys_id),
  party_id         text NOT NULL REFERENCES party (id),
  cat_item         text NOT NULL,
  short_description text NOT NULL,
  variables        jsonb NOT NULL,
  state            text NOT NULL CHECK (state IN ('submitted', 'validating', 'in_progress', 'fulfilled', 'rejected', 'closed')),
  rejection_reason text,
  row_problems     jsonb NOT NULL DEFAULT '[]',
  incident_id      text REFERENCES incident (sys_id),
  sys_created_on   timestamptz NOT NULL,
  sys_created_by   text NOT NULL,
  sys_updated_on   timestamptz NOT NULL,
  sys_updated_by   text NOT NULL
);
CREATE INDEX sc_req_item_party ON sc_req_item (party_id, sys_created_on);

CREATE TABLE party_threshold (
  party_id        text NOT NULL REFERENCES party (id),
  user_id         text NOT NULL,
  threshold_type  text NOT NULL,
  value           integer NOT NULL,
  request_item_id text NOT NULL REFERENCES sc_req_item (sys_id),
  updated_at      timestamptz NOT NULL,
  PRIMARY KEY (party_id, user_id, threshold_type)
);
