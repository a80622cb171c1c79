import { describe, expect, it } from 'vitest';
import { sequenceTrades } from '../../../src/pipeline/internal/sequence-trades.js';
import type { Tick } from '../../../src/schemas/tick.js';

const T0 = Date.UTC(2025, 0, 30);
const t = (tradeId: number): Tick => ({ timestamp: T0 + tradeId, price: 1, quantity: 1, side: 'buy', tradeId });

describe('sequenceTrades', () => {
  it('drops ids already taken and repeats, orders by id and finds the ids missing after the last one', () => {
    const batch = Object.freeze([t(13), t(11), t(10), t(11)].map((x) => Object.freeze(x)));
    expect(sequenceTrades(10, batch, true)).toEqual({ fresh: [t(11), t(13)], duplicates: 2, gaps: [{ fromId: 12, toId: 12 }] });
  });

  it('judges the hole between the last id taken and the first fresh one', () => {
    expect(sequenceTrades(3, [t(7), t(8)], true).gaps).toEqual([{ fromId: 4, toId: 6 }]);
  });

  it('judges no gap before the first trade, nor any without consecutive ids', () => {
    expect(sequenceTrades(null, [t(5), t(9)], true).gaps).toEqual([{ fromId: 6, toId: 8 }]);
    expect(sequenceTrades(null, [t(5)], true).gaps).toEqual([]);
    expect(sequenceTrades(1, [t(5), t(9)], false)).toEqual({ fresh: [t(5), t(9)], duplicates: 0, gaps: [] });
  });
});
