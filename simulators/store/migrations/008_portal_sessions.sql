-- Portal sessions remember the DCC Identity tenant (issuer) a person signed in through, if any (IAM-03, IAM-06).
ALTER TABLE session ADD COLUMN issuer text;
