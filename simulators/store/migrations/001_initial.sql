-- Parties, accounts, sessions and incidents: the foundation of the FSM simulator.

CREATE TABLE party (
  id                text PRIMARY KEY,
  name              text NOT NULL UNIQUE,
  user_roles        text[] NOT NULL,
  user_ids          text[] NOT NULL DEFAULT '{}',
  regions           text[] NOT NULL,
  gateway_connected boolean NOT NULL,
  internet_cidrs    text[] NOT NULL DEFAULT '{}',
  created_at        timestamptz NOT NULL
);

CREATE TABLE account (
  id                   text PRIMARY KEY,
  party_id             text NOT NULL REFERENCES party (id),
  username             text NOT NULL UNIQUE,
  display_name         text NOT NULL,
  password_hash        text NOT NULL,
  password_expires_at  timestamptz,
  password_must_change boolean NOT NULL,
  status               text NOT NULL CHECK (status IN ('active', 'inactive')),
  identity_path        text NOT NULL CHECK (identity_path IN ('entra', 'local')),
  roles                text[] NOT NULL,
  failed_logins        integer NOT NULL DEFAULT 0,
  locked_until         timestamptz,
  email_notifications  boolean NOT NULL DEFAULT true,
  migrated             boolean NOT NULL DEFAULT false,
  created_at           timestamptz NOT NULL,
  updated_at           timestamptz NOT NULL
);
CREATE INDEX account_party ON account (party_id);

-- A login in progress: the checks it has passed so far, until it becomes a session or expires.
CREATE TABLE login_transaction (
  token_hash  text PRIMARY KEY,
  account_id  text NOT NULL REFERENCES account (id) ON DELETE CASCADE,
  passed      text[] NOT NULL DEFAULT '{}',
  expires_at  timestamptz NOT NULL
);

CREATE TABLE session (
  token_hash   text PRIMARY KEY,
  account_id   text NOT NULL REFERENCES account (id) ON DELETE CASCADE,
  kind         text NOT NULL CHECK (kind IN ('api', 'portal')),
  amr          text[] NOT NULL,
  created_at   timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL
);
CREATE INDEX session_account ON session (account_id);

CREATE SEQUENCE incident_number START 10001;

CREATE TABLE incident (
  sys_id           text PRIMARY KEY,
  number           text NOT NULL UNIQUE,
  party_id         text NOT NULL REFERENCES party (id),
  caller_id        text NOT NULL REFERENCES account (id),
  short_description text NOT NULL,
  description      text NOT NULL DEFAULT '',
  category         text NOT NULL,
  impact           smallint NOT NULL CHECK (impact BETWEEN 1 AND 3),
  urgency          smallint NOT NULL CHECK (urgency BETWEEN 1 AND 3),
  priority         smallint NOT NULL CHECK (priority BETWEEN 1 AND 5),
  state            smallint NOT NULL CHECK (state IN (1, 2, 3, 6, 7, 8)),
  active           boolean NOT NULL,
  on_hold_reason   text,
  assignment_group text NOT NULL DEFAULT 'DCC Service Desk',
  close_notes      text,
  resolved_at      timestamptz,
  closed_at        timestamptz,
  sys_created_on   timestamptz NOT NULL,
  sys_created_by   text NOT NULL,
  sys_updated_on   timestamptz NOT NULL,
  sys_updated_by   text NOT NULL,
  sys_mod_count    integer NOT NULL DEFAULT 0
);
CREATE INDEX incident_party_state_priority ON incident (party_id, state, priority);
CREATE INDEX incident_party_number ON incident (party_id, number);
