-- The results store: every run and every scenario result, append-only, so completion accumulates
-- across a UIT window of many runs; testing issues opened by failures; evidence manifests by hash.

CREATE TABLE test_run (
  id               text PRIMARY KEY,
  party            text NOT NULL,
  target           text NOT NULL,
  suite            text NOT NULL,
  tags             text,
  mode             text NOT NULL,
  seed             bigint NOT NULL,
  harness_version  text NOT NULL,
  node_version     text NOT NULL,
  started_at       timestamptz NOT NULL,
  -- Null while running; a run left null by a crash is reported as incomplete.
  finished_at      timestamptz
);
CREATE INDEX test_run_party ON test_run (party, started_at);

CREATE TABLE scenario_result (
  id            bigserial PRIMARY KEY,
  run_id        text NOT NULL REFERENCES test_run (id),
  uri           text NOT NULL,
  feature       text NOT NULL,
  name          text NOT NULL,
  tags          text[] NOT NULL,
  requirements  text[] NOT NULL,
  status        text NOT NULL,
  attempts      integer NOT NULL,
  first_status  text NOT NULL,
  duration_ms   integer NOT NULL,
  error         text,
  recorded_at   timestamptz NOT NULL
);
CREATE INDEX scenario_result_run ON scenario_result (run_id);

CREATE TABLE testing_issue (
  id            text PRIMARY KEY,
  scenario_key  text NOT NULL UNIQUE,
  title         text NOT NULL,
  severity      smallint NOT NULL CHECK (severity BETWEEN 1 AND 5),
  status        text NOT NULL CHECK (status IN ('open', 'resolved', 'deferred', 'closed')),
  workaround    text,
  reason        text,
  first_run_id  text NOT NULL REFERENCES test_run (id),
  last_run_id   text NOT NULL REFERENCES test_run (id),
  occurrences   integer NOT NULL,
  last_error    text,
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL
);

CREATE TABLE evidence_manifest (
  run_id        text PRIMARY KEY REFERENCES test_run (id),
  sha256        text NOT NULL,
  previous      text,
  created_at    timestamptz NOT NULL
);
