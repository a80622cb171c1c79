-- Closed bars, one row per (symbol, timeframe, open_time); the highest revision wins.
CREATE TABLE bars (
  symbol           text        NOT NULL,
  timeframe        text        NOT NULL,
  open_time        timestamptz NOT NULL,  -- bar open time (UTC), millisecond precision
  open             float8      NOT NULL,
  high             float8      NOT NULL,
  low              float8      NOT NULL,
  close            float8      NOT NULL,
  volume           float8      NOT NULL,
  quote_volume     float8,                -- NULL when the source lacks it
  trades           bigint,
  taker_buy_volume float8,
  flag             text CHECK (flag IN ('interpolated', 'forward_filled', 'clipped')),  -- NULL: a real bar
  count            integer,               -- source bars in an aggregated bar
  revision         integer     NOT NULL DEFAULT 0,
  PRIMARY KEY (symbol, timeframe, open_time)
);
