-- The mailbox lists mail newest first: with the simulated clock frozen, mail arrives at the same
-- instant, so the order of arrival breaks the tie (the last code sent is the one a person reads).
ALTER TABLE mail_message ADD COLUMN seq bigserial;
