-- A hub in a pending CH transfer is held for that transfer (OMS-10): it cannot be ordered into another
-- transfer or returned until the receiving party answers, and only that transfer's acceptance moves it.
ALTER TABLE device ADD COLUMN transfer_id text REFERENCES ch_transfer (sys_id);
CREATE INDEX device_transfer ON device (transfer_id) WHERE transfer_id IS NOT NULL;

-- Transfers already pending hold their sender's hubs; where a hub was ordered into two of them, the
-- oldest holds it, and accepting the other is refused.
UPDATE device d SET transfer_id = (
  SELECT t.sys_id FROM ch_transfer t
  WHERE t.state = 'pending' AND t.from_party = d.party_id AND d.device_id = ANY (t.device_ids)
  ORDER BY t.created_at, t.sys_id LIMIT 1
)
WHERE d.device_id IN (SELECT unnest(device_ids) FROM ch_transfer WHERE state = 'pending');
