/**
 * `indicators/` on the shared 1M bars: ATR(14) against trading-signals and technicalindicators
 * (target: at least 10× faster than each), and returns / log returns against a plain
 * typed-array loop (target: within 2×). Each of ours is also timed writing into a caller's
 * array (`out`, issue 20: no fresh 8 MB result and its page faults per call), and every case's
 * first call in a fresh process is reported.
 */
import { ATR as TiAtr } from 'technicalindicators';
import { ATR as TsAtr } from 'trading-signals';
import { atr, logReturns, returns } from '../../src/index.js';
import type { OhlcvColumns } from '../../src/index.js';
import type { BenchData, BenchGroup, Suite } from '../harness.js';

/** Wilder ATR(14), first-range seed, written as the plainest typed-array loop: the floor. */
function plainAtr(high: Float64Array, low: Float64Array, close: Float64Array, n: number, period: number): Float64Array {
  const out = new Float64Array(n);
  let sum = 0;
  let a = NaN;
  for (let i = 0; i < n; i++) {
    const h = high[i]!;
    const l = low[i]!;
    const tr = i === 0 ? h - l : Math.max(h - l, Math.abs(h - close[i - 1]!), Math.abs(l - close[i - 1]!));
    if (i < period) {
      sum += tr;
      out[i] = i === period - 1 ? (a = sum / period) : NaN;
    } else {
      a += (tr - a) / period;
      out[i] = a;
    }
  }
  return out;
}

/** The first `count` bars of the shared data (views, no copies). */
function head(data: BenchData, count: number): BenchData {
  const c = data.columns;
  const n = Math.min(count, c.length);
  const columns: OhlcvColumns = {
    length: n,
    timestamp: c.timestamp.subarray(0, n),
    open: c.open.subarray(0, n),
    high: c.high.subarray(0, n),
    low: c.low.subarray(0, n),
    close: c.close.subarray(0, n),
    volume: c.volume.subarray(0, n),
  };
  return { ...data, columns, rows: data.rows.slice(0, n) };
}

/**
 * Builds the groups on a 20,000-bar head and calls every case until the JIT has settled (each
 * function is called once per 1M-bar run, so without this the first timed rounds measure
 * interpreter and on-stack-replacement code). Every case, ours, peers and plain loops alike,
 * is warmed the same way.
 */
function warmUp(data: BenchData): void {
  for (const group of groups(head(data, 20_000))) {
    for (const c of group.cases) {
      for (let k = 0; k < (c.role === 'peer' ? 5 : 50); k++) c.fn();
    }
  }
}

const suite: Suite = (data: BenchData): readonly BenchGroup[] => {
  if (!data.cold) warmUp(data);
  return groups(data);
};

function groups(data: BenchData): readonly BenchGroup[] {
  const { columns, rows } = data;
  const n = columns.length;
  const { high, low, close } = columns;
  // Untimed conversions for the peers: technicalindicators wants plain arrays.
  const highArray = Array.from(high.subarray(0, n));
  const lowArray = Array.from(low.subarray(0, n));
  const closeArray = Array.from(close.subarray(0, n));
  // The caller's arrays of the `out` cases (issue 20), allocated once, untimed.
  const atrOut = new Float64Array(n);
  const returnsOut = new Float64Array(n);
  const logReturnsOut = new Float64Array(n);

  return [
    {
      title: `ATR(14), ${n.toLocaleString('en-US')} bars`,
      cold: true,
      cases: [
        { name: 'atr (columns)', role: 'ours', fn: () => atr(columns, { period: 14 }) },
        { name: 'atr (columns, out)', role: 'ours', fn: () => atr(columns, { period: 14, out: atrOut }) },
        { name: 'atr (rows)', role: 'ours', fn: () => atr(rows, { period: 14 }) },
        { name: 'trading-signals ATR.updates', role: 'peer', fn: () => new TsAtr(14).updates(rows) },
        {
          name: 'technicalindicators ATR.calculate',
          role: 'peer',
          fn: () => TiAtr.calculate({ high: highArray, low: lowArray, close: closeArray, period: 14 }),
        },
        { name: 'plain typed-array loop', role: 'limit', fn: () => plainAtr(high, low, close, n, 14) },
      ],
      targets: [
        { ours: 'atr (columns)', than: 'trading-signals ATR.updates', factor: 10 },
        { ours: 'atr (columns)', than: 'technicalindicators ATR.calculate', factor: 10 },
      ],
    },
    {
      title: `returns, ${n.toLocaleString('en-US')} bars`,
      cold: true,
      cases: [
        { name: 'returns (columns)', role: 'ours', fn: () => returns(columns) },
        { name: 'returns (columns, out)', role: 'ours', fn: () => returns(columns, { out: returnsOut }) },
        { name: 'returns (rows)', role: 'ours', fn: () => returns(rows) },
        {
          name: 'plain typed-array loop',
          role: 'limit',
          fn: () => {
            const out = new Float64Array(n);
            let prev = NaN;
            for (let i = 0; i < n; i++) {
              const c = close[i]!;
              out[i] = (c - prev) / prev;
              prev = c;
            }
            return out;
          },
        },
      ],
      targets: [{ ours: 'returns (columns)', than: 'plain typed-array loop', within: 2 }],
    },
    {
      title: `logReturns, ${n.toLocaleString('en-US')} bars`,
      cold: true,
      cases: [
        { name: 'logReturns (columns)', role: 'ours', fn: () => logReturns(columns) },
        { name: 'logReturns (columns, out)', role: 'ours', fn: () => logReturns(columns, { out: logReturnsOut }) },
        { name: 'logReturns (rows)', role: 'ours', fn: () => logReturns(rows) },
        {
          name: 'plain typed-array loop',
          role: 'limit',
          fn: () => {
            const out = new Float64Array(n);
            let prev = NaN;
            for (let i = 0; i < n; i++) {
              const c = close[i]!;
              out[i] = Math.log(c / prev);
              prev = c;
            }
            return out;
          },
        },
      ],
      targets: [{ ours: 'logReturns (columns)', than: 'plain typed-array loop', within: 2 }],
    },
  ];
}

export default suite;
