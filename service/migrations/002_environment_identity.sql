-- The rest of a run's environment identity, as its signed statement gives it: the tenant and the SHA-256
-- of the TLS certificate the platform presented. A recognised environment that names either must match it.
ALTER TABLE submitted_run ADD COLUMN environment_tenant text;
ALTER TABLE submitted_run ADD COLUMN tls_fingerprint text;
