-- ServiceNow's own ways in (issue 17): Basic auth and OAuth's password grant for web-service
-- (integration) accounts only; registered OAuth apps, one party each; refresh tokens stored hashed.
-- An OAuth access token is an API session of its grant: ending the session (logout) ends the grant.
ALTER TABLE account ADD COLUMN web_service_access_only boolean NOT NULL DEFAULT false;

CREATE TABLE oauth_app (
  client_id   text PRIMARY KEY,
  party_id    text NOT NULL REFERENCES party (id) ON DELETE CASCADE,
  name        text NOT NULL,
  secret_hash text NOT NULL,
  -- The account a client_credentials grant acts as (when that grant is enabled at all).
  user_id     text REFERENCES account (id) ON DELETE SET NULL,
  created_at  timestamptz NOT NULL
);
CREATE INDEX oauth_app_party ON oauth_app (party_id);

CREATE TABLE oauth_refresh_token (
  token_hash text PRIMARY KEY,
  grant_id   text NOT NULL,
  client_id  text NOT NULL REFERENCES oauth_app (client_id) ON DELETE CASCADE,
  account_id text NOT NULL REFERENCES account (id) ON DELETE CASCADE,
  expires_at timestamptz NOT NULL
);
CREATE INDEX oauth_refresh_token_grant ON oauth_refresh_token (grant_id);
CREATE INDEX oauth_refresh_token_account ON oauth_refresh_token (account_id);

ALTER TABLE session ADD COLUMN grant_id text;
