/**
 * `failover/` and `retention/`.
 *
 * - `applyRetention` cutting the older half of the shared 1M bars, against the floor: find the
 *   first kept index and copy each column from there (target: within 2×).
 * - The feed state machine and the rate limiter, for scale: 100,000 events through
 *   `nextFeedState` (a repeating outage and recovery), 100,000 `tryAcquire` calls on each limiter model.
 */
import {
  applyRetention,
  BINANCE_WEIGHT_LIMIT,
  createRateLimiter,
  DEFAULT_RATE_LIMIT,
  initialFeedState,
  nextFeedState,
  tryAcquire,
} from '../../src/index.js';
import type { FeedEvent, OhlcvColumns, Retention } from '../../src/index.js';
import type { BenchData, BenchGroup, Suite } from '../harness.js';

const EVENTS = 100_000;

/** The floor: one pass to the first kept bar, then one copy of each column present. */
function plainCut(columns: OhlcvColumns, cutoff: number): (Float64Array | Uint8Array)[] {
  const ts = columns.timestamp;
  let k = 0;
  while (k < columns.length && ts[k]! < cutoff) k++;
  const present = [
    ts,
    columns.open,
    columns.high,
    columns.low,
    columns.close,
    columns.volume,
    columns.quoteVolume,
    columns.trades,
    columns.takerBuyVolume,
    columns.count,
    columns.flags,
  ].filter((c) => c !== undefined);
  return present.map((c) => c.slice(k, columns.length));
}

/** A repeating script: healthy answers, an outage climbing to the backup, the primary back. */
function feedScript(): { at: number; event: FeedEvent }[] {
  const healthy: FeedEvent = { kind: 'succeeded', source: 'primary', latencyMs: 45, newestBar: 0 };
  const recovering: FeedEvent = { kind: 'succeeded', source: 'primary', latencyMs: 50 };
  const cycle: { dt: number; event: FeedEvent }[] = [
    ...Array.from({ length: 20 }, () => ({ dt: 1000, event: healthy })),
    { dt: 1000, event: { kind: 'failed', source: 'primary', failure: 'timeout' } },
    { dt: 5000, event: { kind: 'tick' } },
    { dt: 10_000, event: { kind: 'tick' } },
    ...Array.from({ length: 20 }, () => ({ dt: 5000, event: recovering })),
  ];
  const out: { at: number; event: FeedEvent }[] = [];
  let at = 0;
  while (out.length < EVENTS) {
    for (const step of cycle) {
      at += step.dt;
      out.push({ at, event: step.event });
    }
  }
  return out.slice(0, EVENTS);
}

const suite: Suite = (data: BenchData): readonly BenchGroup[] => {
  const { columns, rows } = data;
  const n = columns.length;
  const first = columns.timestamp[0]!;
  const last = columns.timestamp[n - 1]!;
  const now = last + 60_000;
  const retention: Retention = { '1m': Math.floor((last - first) / 2) };
  const cutoff = now - Math.floor((last - first) / 2);
  const script = feedScript();
  const label = n.toLocaleString('en-US');

  return [
    {
      title: `applyRetention, older half of ${label} 1m bars`,
      cases: [
        { name: 'applyRetention (columns)', role: 'ours', fn: () => applyRetention(columns, '1m', now, retention) },
        { name: 'applyRetention (rows)', role: 'ours', fn: () => applyRetention(rows, '1m', now, retention) },
        { name: 'plain find + slice', role: 'limit', fn: () => plainCut(columns, cutoff) },
      ],
      targets: [{ ours: 'applyRetention (columns)', than: 'plain find + slice', within: 2 }],
    },
    {
      title: `feed state machine and rate limiter, ${EVENTS.toLocaleString('en-US')} calls`,
      cases: [
        {
          name: 'nextFeedState',
          role: 'ours',
          fn: () => {
            let state = initialFeedState();
            for (const { at, event } of script) state = nextFeedState(state, event, at).state;
            return state;
          },
        },
        {
          name: 'tryAcquire (weight window)',
          role: 'ours',
          fn: () => {
            let state = createRateLimiter(BINANCE_WEIGHT_LIMIT);
            for (let i = 0; i < EVENTS; i++) state = tryAcquire(state, i * 10, 5).state;
            return state;
          },
        },
        {
          name: 'tryAcquire (token bucket)',
          role: 'ours',
          fn: () => {
            let state = createRateLimiter(DEFAULT_RATE_LIMIT);
            for (let i = 0; i < EVENTS; i++) state = tryAcquire(state, i * 10, 1).state;
            return state;
          },
        },
      ],
    },
  ];
};

export default suite;
