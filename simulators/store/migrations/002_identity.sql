-- Identity: MFA methods and one-time codes, the simulator's mailbox, security events, internet
-- registration of parties, and the OpenID provider's own records (codes, tokens, clients, sessions).

ALTER TABLE account ADD COLUMN mfa_method text CHECK (mfa_method IN ('totp', 'email', 'sms'));
ALTER TABLE account ADD COLUMN totp_secret text;
-- The last TOTP time step accepted: a code of that step or an earlier one is a replay.
ALTER TABLE account ADD COLUMN totp_last_step bigint;
ALTER TABLE account ADD COLUMN phone text;

ALTER TABLE login_transaction ADD COLUMN purpose text NOT NULL DEFAULT 'login';
ALTER TABLE login_transaction ADD COLUMN state jsonb NOT NULL DEFAULT '{}';

ALTER TABLE party ADD COLUMN internet_registered boolean NOT NULL DEFAULT false;

-- At most one live code per account and purpose: sending a new one replaces the old.
CREATE TABLE one_time_code (
  account_id text NOT NULL REFERENCES account (id) ON DELETE CASCADE,
  purpose    text NOT NULL,
  code_hash  text NOT NULL,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (account_id, purpose)
);

CREATE TABLE mail_message (
  id           text PRIMARY KEY,
  to_address   text NOT NULL,
  from_address text NOT NULL,
  subject      text NOT NULL,
  body         text NOT NULL,
  received_at  timestamptz NOT NULL
);
CREATE INDEX mail_message_to ON mail_message (to_address, received_at);

CREATE TABLE security_event (
  id         bigserial PRIMARY KEY,
  account_id text,
  kind       text NOT NULL,
  detail     text NOT NULL DEFAULT '',
  at         timestamptz NOT NULL
);
CREATE INDEX security_event_account ON security_event (account_id, at);

CREATE TABLE oidc_payload (
  kind        text NOT NULL,
  id          text NOT NULL,
  payload     jsonb NOT NULL,
  grant_id    text,
  user_code   text,
  uid         text,
  expires_at  timestamptz,
  consumed_at timestamptz,
  PRIMARY KEY (kind, id)
);
CREATE INDEX oidc_payload_grant ON oidc_payload (grant_id);
CREATE INDEX oidc_payload_uid ON oidc_payload (uid);
