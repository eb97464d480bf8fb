-- The completion service's store (schema fsm_service): every run a party submitted, with its signed
-- statement's digest and its evidence files by hash, each scenario result keyed (party, environment,
-- run, scenario, attempt), and the issued Test Completion Reports parties submitted.

CREATE TABLE submitted_run (
  party             text NOT NULL,
  run_id            text NOT NULL,
  environment_url   text NOT NULL,
  environment_name  text,
  target_kind       text,
  suite             text NOT NULL,
  tags              text,
  mode              text NOT NULL,
  started_at        timestamptz NOT NULL,
  finished_at       timestamptz,
  manifest_sha256   text NOT NULL,
  statement_sha256  text NOT NULL,
  key_id            text NOT NULL,
  files             jsonb NOT NULL,
  received_at       timestamptz NOT NULL,
  PRIMARY KEY (party, run_id)
);
CREATE INDEX submitted_run_started ON submitted_run (started_at);
-- A pack is one run's: the same manifest received for a second party is another party's pack re-signed.
CREATE UNIQUE INDEX submitted_run_manifest ON submitted_run (manifest_sha256);

CREATE TABLE submitted_result (
  party            text NOT NULL,
  environment_url  text NOT NULL,
  run_id           text NOT NULL,
  scenario_no      integer NOT NULL,
  attempt          integer NOT NULL,
  uri              text NOT NULL,
  name             text NOT NULL,
  requirements     jsonb NOT NULL,
  status           text NOT NULL,
  first_status     text NOT NULL,
  PRIMARY KEY (party, environment_url, run_id, scenario_no, attempt),
  FOREIGN KEY (party, run_id) REFERENCES submitted_run (party, run_id)
);

CREATE TABLE issued_report (
  party            text NOT NULL,
  document_id      text NOT NULL,
  envelope_sha256  text NOT NULL,
  key_id           text NOT NULL,
  payload          jsonb NOT NULL,
  received_at      timestamptz NOT NULL,
  PRIMARY KEY (party, document_id)
);
