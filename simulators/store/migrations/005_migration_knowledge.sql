-- Migration from DSMS (ACC-04), knowledge articles and nominated contacts (SM-08).

ALTER TABLE account ADD COLUMN legacy_id text;
ALTER TABLE account ADD COLUMN migration_review text CHECK (migration_review IN ('pending', 'reinstated', 'declined'));
CREATE UNIQUE INDEX account_legacy ON account (party_id, legacy_id);
ALTER TABLE incident ADD COLUMN legacy_number text;
CREATE UNIQUE INDEX incident_legacy ON incident (party_id, legacy_number);

CREATE TABLE migration_batch (
  id          text PRIMARY KEY,
  party_id    text NOT NULL REFERENCES party (id),
  kind        text NOT NULL CHECK (kind IN ('initial', 'incremental')),
  accounts    integer NOT NULL,
  tickets     integer NOT NULL,
  returns     jsonb NOT NULL,
  received_at timestamptz NOT NULL
);

CREATE SEQUENCE knowledge_number START 10001;
CREATE TABLE knowledge_article (
  sys_id            text PRIMARY KEY,
  number            text NOT NULL UNIQUE,
  short_description text NOT NULL,
  text              text NOT NULL,
  category          text NOT NULL,
  published_on      timestamptz NOT NULL
);

CREATE TABLE nominated_contact (
  party_id   text NOT NULL REFERENCES party (id),
  role       text NOT NULL,
  name       text NOT NULL,
  email      text NOT NULL,
  updated_on timestamptz NOT NULL,
  PRIMARY KEY (party_id, role)
);
