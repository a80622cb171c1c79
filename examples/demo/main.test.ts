import { describe, expect, it } from 'vitest';
import { generateOhlcv } from '../../src/testing/index.js';
import { DAY_START, DEMO_SYMBOLS, main } from './main.js';

describe('demo main', () => {
  it('prints, per symbol, the bar count, first/last time, gaps and price range the generator produced', () => {
    const lines: string[] = [];
    const summaries = main((line) => lines.push(line));
    const text = lines.join('\n');
    expect(summaries).toHaveLength(2);
    for (const s of DEMO_SYMBOLS) {
      // The truth, straight from the generator's rows (not from the demo's columns).
      const { bars, gaps } = generateOhlcv({
        seed: s.seed, start: DAY_START, count: 1440, timeframe: '1m', startPrice: s.startPrice,
        volatility: s.volatility, baseVolume: s.baseVolume, gapRate: 0.002, maxGapBars: 4,
      });
      const missing = gaps.reduce((n, g) => n + g.missing, 0);
      const low = Math.min(...bars.map((b) => b.low));
      const high = Math.max(...bars.map((b) => b.high));
      // A UTC day has 1440 one-minute bars; every one is present or in a reported gap.
      expect(bars.length + missing).toBe(1440);
      expect(text).toContain(`${s.symbol}  bars ${bars.length}/1440`);
      expect(text).toContain(`first 2025-01-30T00:00:00.000Z  last 2025-01-30T23:59:00.000Z`);
      expect(text).toContain(`gaps ${gaps.length} (${missing} bars missing)`);
      expect(text).toContain(`low ${low.toFixed(2)}  high ${high.toFixed(2)}  last close ${bars.at(-1)!.close.toFixed(2)}`);
    }
    // The demo is meant to show gaps: at least one symbol has some.
    expect(summaries.some((s) => s.gaps.length > 0)).toBe(true);
  });
});
