-- Each sealed pack's signed statement (reporting/signing): the SHA-256 of its in-toto payload, which the
-- next run's statement names as its previous, and the id of the key that signed it. Null for packs
-- sealed before runs were signed: verify reports them as unsigned.
ALTER TABLE evidence_manifest ADD COLUMN statement_sha256 text;
ALTER TABLE evidence_manifest ADD COLUMN key_id text;
