-- OMS and CH logistics (OMS-01..11, ACC-05): forecasts, orders, consignments, devices, returns, the
-- carrier's shipments (the logistics simulator's side) and the Region of OMS accounts.

ALTER TABLE account ADD COLUMN region text;
ALTER TABLE account ADD COLUMN chargeable boolean NOT NULL DEFAULT false;

CREATE TABLE forecast (
  party_id     text NOT NULL REFERENCES party (id),
  region       text NOT NULL,
  variant      text NOT NULL,
  month        text NOT NULL,
  version      integer NOT NULL,
  quantity     integer NOT NULL CHECK (quantity >= 0),
  submitted_at timestamptz NOT NULL,
  submitted_by text NOT NULL,
  PRIMARY KEY (party_id, region, variant, month, version)
);

CREATE SEQUENCE oms_order_number START 10001;
CREATE TABLE oms_order (
  sys_id            text PRIMARY KEY,
  number            text NOT NULL UNIQUE,
  party_id          text NOT NULL REFERENCES party (id),
  region            text NOT NULL,
  variant           text NOT NULL,
  delivery_month    text NOT NULL,
  location          text NOT NULL,
  quantity          integer NOT NULL CHECK (quantity > 0),
  forecast_quantity integer,
  state             text NOT NULL CHECK (state IN ('submitted', 'tolerance_exception', 'confirmed', 'rejected')),
  decision_reason   text,
  created_at        timestamptz NOT NULL,
  created_by        text NOT NULL,
  updated_at        timestamptz NOT NULL
);

CREATE SEQUENCE consignment_number START 10001;
CREATE TABLE consignment (
  sys_id            text PRIMARY KEY,
  number            text NOT NULL UNIQUE,
  order_id          text NOT NULL REFERENCES oms_order (sys_id),
  party_id          text NOT NULL REFERENCES party (id),
  quantity          integer NOT NULL,
  delivery_date     date NOT NULL,
  state             text NOT NULL CHECK (state IN ('planned', 'delivery_confirmed', 'delivered', 'accepted', 'rejected')),
  device_ids        text[] NOT NULL,
  delivered_at      timestamptz,
  accepted_quantity integer,
  rejection_reason  text,
  updated_at        timestamptz NOT NULL
);

CREATE TABLE device (
  device_id  text PRIMARY KEY,
  party_id   text NOT NULL REFERENCES party (id),
  variant    text NOT NULL,
  status     text NOT NULL CHECK (status IN ('in_stock', 'installed', 'returning', 'returned')),
  updated_at timestamptz NOT NULL
);
CREATE INDEX device_party ON device (party_id, status);

CREATE SEQUENCE rma_number START 10001;
CREATE TABLE ch_return (
  sys_id         text PRIMARY KEY,
  rma_number     text NOT NULL UNIQUE,
  party_id       text NOT NULL REFERENCES party (id),
  device_id      text NOT NULL REFERENCES device (device_id),
  variant        text NOT NULL,
  reason         text NOT NULL,
  fault          boolean NOT NULL,
  state          text NOT NULL CHECK (state IN ('rma_issued', 'collected', 'received', 'triaged', 'closed')),
  triage_outcome text,
  charge_pence   integer,
  created_at     timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL
);
-- A device is returned once: a second live return of it is refused.
CREATE UNIQUE INDEX ch_return_device ON ch_return (device_id);

CREATE TABLE carrier_shipment (
  reference   text PRIMARY KEY,
  kind        text NOT NULL CHECK (kind IN ('delivery', 'return')),
  quantity    integer NOT NULL,
  due_on      date NOT NULL,
  created_at  timestamptz NOT NULL,
  delay_days  integer NOT NULL DEFAULT 0,
  fault       text CHECK (fault IN ('fail', 'reject'))
);
