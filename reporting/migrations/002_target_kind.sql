-- What each run was against, so that only runs against a real environment count as mandated completion:
-- 'sim' (simulators the harness started), 'simulator-url' (a simulator at a URL) or 'environment' (a
-- real environment from a target file), and that environment's name and base URL. Runs recorded before
-- this migration keep a null kind, which the reports treat as a rehearsal.
ALTER TABLE test_run ADD COLUMN target_kind text CHECK (target_kind IN ('sim', 'simulator-url', 'environment'));
ALTER TABLE test_run ADD COLUMN environment_name text;
ALTER TABLE test_run ADD COLUMN environment_url text;
-- Why a run never reached its target (nothing answered at --target): such a run ran nothing and is
-- never the latest run a report is made from. Null for a run that started.
ALTER TABLE test_run ADD COLUMN not_started text;
