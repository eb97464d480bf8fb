-- CH transfers between parties (OMS-10): raised by service request, accepted by the receiving party.
CREATE TABLE ch_transfer (
  sys_id        text PRIMARY KEY,
  request_item  text NOT NULL REFERENCES sc_req_item (sys_id),
  from_party    text NOT NULL REFERENCES party (id),
  to_party      text NOT NULL REFERENCES party (id),
  device_ids    text[] NOT NULL,
  state         text NOT NULL CHECK (state IN ('pending', 'accepted', 'rejected')),
  created_at    timestamptz NOT NULL,
  decided_at    timestamptz,
  decided_by    text
);
CREATE INDEX ch_transfer_to ON ch_transfer (to_party, state);
