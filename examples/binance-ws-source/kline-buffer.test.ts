import { describe, expect, it } from 'vitest';
import { KlineBuffer } from './kline-buffer.js';
import type { KlineEvent } from './read-binance-frame.js';

const T0 = Date.UTC(2025, 0, 1);
const MIN = 60_000;

/** A closed 1m kline opening `minute` minutes after T0. */
function closed(minute: number): KlineEvent {
  const timestamp = T0 + minute * MIN;
  return {
    row: { timestamp, open: 1, high: 1, low: 1, close: 1, volume: 1, quoteVolume: 1, trades: 1, takerBuyVolume: 1 },
    closed: true,
    closeTime: timestamp + MIN - 1,
  };
}

describe('KlineBuffer', () => {
  it('is not complete when the bars from `since` up to the first one held are missing (after a reconnect)', () => {
    const buffer = new KlineBuffer(MIN, 100);
    for (const m of [10, 11, 30]) buffer.add(closed(m));
    // 10:12–10:29 never arrived: the answer from 10:12 lacks them, so REST must be asked.
    const answer = buffer.read(T0 + 12 * MIN, 1000, T0 + 31 * MIN + 1000);
    expect(answer.rows.map((r) => r.timestamp)).toEqual([T0 + 30 * MIN]);
    expect(answer.complete).toBe(false);
  });

  it('is complete when the first bar held opens at `since` rounded up to the width and none is missing', () => {
    const buffer = new KlineBuffer(MIN, 100);
    for (const m of [10, 11, 12]) buffer.add(closed(m));
    // `since` inside 10:10's minute: the first bar wanted is 10:11.
    const answer = buffer.read(T0 + 10 * MIN + 1, 1000, T0 + 13 * MIN + 1000);
    expect(answer.rows.map((r) => r.timestamp)).toEqual([T0 + 11 * MIN, T0 + 12 * MIN]);
    expect(answer.complete).toBe(true);
  });
});
