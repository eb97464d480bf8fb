-- The order packs were sealed in, for their chains: a sequence, not created_at, which two packs sealed
-- in the same millisecond share (their run ids then decided the order, and the chain read as broken).
ALTER TABLE evidence_manifest ADD COLUMN seq bigserial;
CREATE UNIQUE INDEX evidence_manifest_seq ON evidence_manifest (seq);
