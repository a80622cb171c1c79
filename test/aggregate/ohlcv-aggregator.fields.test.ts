import { describe, expect, it } from 'vitest';
import { OhlcvAggregator } from '../../src/aggregate/ohlcv-aggregator.js';

import { at, MINUTE, T0 } from './support.js';

// The summed fields and provenance of `AggregateOptions`' TSDoc (volume, quoteVolume, trades and
// takerBuyVolume summed, a field missing on any bar missing on the result; `count`, `synthetic`
// and `missing` in the units of the input's counts), on the streaming aggregator.
describe('OhlcvAggregator’s summed fields and provenance', () => {
  it('sums quoteVolume, trades and takerBuyVolume over the bucket', () => {
    const aggregator = new OhlcvAggregator({ source: '1m', target: '5m' });
    const bars = [0, 1, 2, 3, 4].map((m) => at(m, { quoteVolume: 10 * (m + 1), trades: m + 1, takerBuyVolume: m }));
    const out = bars.flatMap((bar) => aggregator.add(bar));
    // 10 + 20 + 30 + 40 + 50; 1 + 2 + 3 + 4 + 5; 0 + 1 + 2 + 3 + 4; 5 bars (`count` is on by default).
    expect(out).toEqual([
      { timestamp: T0, open: 1, high: 1, low: 1, close: 1, volume: 5, quoteVolume: 150, trades: 15, takerBuyVolume: 10, count: 5 },
    ]);
  });

  it('leaves out a summed field one bar of the bucket lacks, and a flag and a count nobody asked for', () => {
    const aggregator = new OhlcvAggregator({ source: '1m', target: '5m', count: false });
    const bars = [0, 1, 2, 3, 4].map((m) => at(m, m === 2 ? {} : { quoteVolume: 1, trades: 1, takerBuyVolume: 1 }));
    const [bar] = bars.flatMap((b) => aggregator.add(b));
    expect(Object.keys(bar ?? {}).sort()).toEqual(['close', 'high', 'low', 'open', 'timestamp', 'volume']);
  });

  it('counts the source bars in the units of the input’s own counts', () => {
    // 5m bars of 1m bars: 4 came and 1 was missing in each; the 15m bucket is 15 minutes wide, 8 came, 7 did not.
    const aggregator = new OhlcvAggregator({ source: '5m', target: '15m', provenance: true });
    aggregator.add(at(0, { count: 4, missing: 1 }));
    aggregator.add(at(5, { count: 4, missing: 1 }));
    expect(aggregator.close(T0 + 15 * MINUTE)).toMatchObject([{ timestamp: T0, count: 8, missing: 7 }]);
  });

  it('counts as synthetic the bars an input bar says it made up, and every bar of a filled one', () => {
    // A real 5m bar that holds 2 made-up 1m bars, then a forward-filled 5m bar of 5 1m bars.
    const aggregator = new OhlcvAggregator({ source: '5m', target: '15m', provenance: true });
    aggregator.add(at(0, { count: 5, synthetic: 2 }));
    aggregator.add(at(5, { count: 5, flag: 'forward_filled', volume: 0 }));
    expect(aggregator.add(at(10, { count: 5 }))).toMatchObject([{ timestamp: T0, count: 15, synthetic: 7 }]);
  });
});
