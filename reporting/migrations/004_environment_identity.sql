-- The rest of an environment's identity, so that DCC can tell which environment a run was against:
-- its tenant (from the target file) and the SHA-256 fingerprint of the TLS certificate its platform
-- presented when the run started (null over plain http). Both are signed in the run's statement.
ALTER TABLE test_run ADD COLUMN environment_tenant text;
ALTER TABLE test_run ADD COLUMN tls_fingerprint text;
