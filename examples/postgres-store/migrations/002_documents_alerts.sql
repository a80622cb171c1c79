-- State documents: the latest one per (name, symbol); symbol is '' for the documents of all symbols.
CREATE TABLE documents (
  name       text        NOT NULL,
  symbol     text        NOT NULL DEFAULT '',
  body       jsonb       NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (name, symbol)
);

-- Alerts, appended in delivery order (at-least-once: a retried alert may appear twice).
CREATE TABLE alerts (
  id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  alert_id    text        NOT NULL,
  body        jsonb       NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX alerts_alert_id ON alerts (alert_id);
