/**
 * The three shapes of 1m bars the aggregation suite is timed on (issue 20): the shared data
 * (`generateOhlcvColumns`, built by `bench/index.ts`), real BTC-perp 1m bars tiled to the same
 * length, and an i.i.d. random walk. A kernel that predicts how one series sets new highs and
 * lows can be fast on one shape and slow on another, so every aggregation target is timed on all
 * three.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { OhlcvColumns } from '../src/index.js';
import { mulberry32, normal } from '../src/testing/internal/seeded-random.js';

/** A named series of bars. */
export interface DataShape {
  /** Short label printed beside every ratio measured on it, e.g. `random walk`. */
  readonly name: string;
  /** The bars (strictly increasing 1m timestamps, every column `length` long). */
  readonly columns: OhlcvColumns;
}

/** A month of real 1m bars (Binance BTCUSDT-PERP via nautilus_trader's test data); gaps included. */
export const REAL_FIXTURE = fileURLToPath(
  new URL('../../shared/fixtures/real/nautilus_trader/btc-perp-20211231-20220201_1m.csv', import.meta.url),
);

const MINUTE_MS = 60_000;

/** `n` bars of zeros, to be filled in (the arrays are exactly `n` long). */
export function emptyColumns(n: number): OhlcvColumns {
  return {
    length: n,
    timestamp: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  };
}

/**
 * `count` bars tiled from the real fixture: copy k follows copy k − 1 (its timestamps shifted
 * by the fixture's span plus one minute, so the fixture's own gaps repeat) and its prices are
 * scaled so that it opens at the previous copy's last close; volumes are kept. `undefined`,
 * with the reason, when the fixture (in `../shared`, beside the checkout) is absent.
 */
export function realShaped(count: number): DataShape | string {
  if (!existsSync(REAL_FIXTURE)) return `${REAL_FIXTURE} is absent (../shared is not beside the checkout)`;
  const lines = readFileSync(REAL_FIXTURE, 'utf8').trim().split('\n').slice(1);
  const rows = lines.map((line) => line.split(','));
  const k = rows.length;
  const src = emptyColumns(k);
  rows.forEach((r, i) => {
    src.timestamp[i] = Date.parse(`${(r[0] ?? '').replace(' ', 'T')}Z`);
    src.open[i] = Number(r[1]);
    src.high[i] = Number(r[2]);
    src.low[i] = Number(r[3]);
    src.close[i] = Number(r[4]);
    src.volume[i] = Number(r[5]);
  });
  const first = src.timestamp[0] as number;
  const period = (src.timestamp[k - 1] as number) - first + MINUTE_MS;
  const growth = (src.close[k - 1] as number) / (src.open[0] as number);
  const out = emptyColumns(count);
  let scale = 1;
  for (let i = 0; i < count; i++) {
    const j = i % k;
    const copy = (i - j) / k;
    if (j === 0 && copy > 0) scale *= growth;
    out.timestamp[i] = (src.timestamp[j] as number) + copy * period;
    out.open[i] = (src.open[j] as number) * scale;
    out.high[i] = (src.high[j] as number) * scale;
    out.low[i] = (src.low[j] as number) * scale;
    out.close[i] = (src.close[j] as number) * scale;
    out.volume[i] = src.volume[j] as number;
  }
  return { name: `real BTC-perp 1m tiled ×${Math.ceil(count / k)}`, columns: out };
}

/**
 * `count` gap-free 1m bars of an i.i.d. random walk from 2022-01-01: each bar opens at the
 * previous close and moves by an independent normal log-return (σ = 0.1 % per bar); its high
 * and low lie an independent half-normal distance (σ = 0.05 %) beyond its open and close;
 * volume is log-normal, always above zero. Every bar's move is independent of the last, so a
 * bucket's new highs and lows come as often and as unpredictably as a random walk allows: the
 * worst case for a max / min that branches.
 */
export function randomWalk(count: number, seed: number): DataShape {
  const random = mulberry32(seed);
  const out = emptyColumns(count);
  const start = Date.UTC(2022, 0, 1);
  let price = 40_000;
  for (let i = 0; i < count; i++) {
    const open = price;
    const close = open * Math.exp(0.001 * normal(random));
    out.timestamp[i] = start + i * MINUTE_MS;
    out.open[i] = open;
    out.close[i] = close;
    out.high[i] = Math.max(open, close) * (1 + 0.0005 * Math.abs(normal(random)));
    out.low[i] = Math.min(open, close) * (1 - 0.0005 * Math.abs(normal(random)));
    out.volume[i] = 100 * Math.exp(normal(random));
    price = close;
  }
  return { name: `i.i.d. random walk (seed ${seed})`, columns: out };
}
