import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TickSchema, parseTicks } from '../../src/schemas/index.js';
import { describeFixtures, readFixtureJson } from '../support/fixtures.js';

const T = Date.UTC(2025, 0, 30, 10, 30);
const tick = { timestamp: T, price: 45050, quantity: 0.1, side: 'buy', tradeId: 1 } as const;

describe('parseTicks', () => {
  it('returns clean trades without their extra fields', () => {
    const input = Object.freeze([Object.freeze({ ...tick, cost: 4505, symbol: 'BTC/USD' })]);
    expect(parseTicks(input)).toEqual({ rows: [tick], issues: [], rejected: 0 });
  });

  it('reports each bad field at [row, field]', () => {
    const result = parseTicks([
      { ...tick, price: NaN },
      { ...tick, side: 'BUY' },
      { ...tick, tradeId: 1.5 },
      { ...tick, quantity: '0.1' },
      { ...tick, timestamp: 42 },
    ]);
    expect(result.rows).toEqual([]);
    expect(result.issues.map((i) => [i.code, i.path])).toEqual([
      ['not_finite', [0, 'price']],
      ['invalid_value', [1, 'side']],
      ['invalid_value', [2, 'tradeId']],
      ['invalid_type', [3, 'quantity']],
      ['ambiguous_unit', [4, 'timestamp']],
    ]);
  });

  it('reads decimal strings, including string trade ids, only with coerce', () => {
    const row = { timestamp: T, price: '45050', quantity: '0.1', side: 'buy', tradeId: '13519807' };
    expect(parseTicks([row]).rejected).toBe(1);
    expect(parseTicks([row], { coerce: true }).rows).toEqual([{ ...tick, tradeId: 13_519_807 }]);
  });

  it('turns -0 into 0', () => {
    expect(Object.is(parseTicks([{ ...tick, quantity: -0 }]).rows[0]?.quantity, 0)).toBe(true);
  });

  it('never throws on arbitrary input and returns only schema-valid ticks', () => {
    const before = Reflect.ownKeys(Object.prototype).length;
    fc.assert(
      fc.property(fc.oneof(fc.array(fc.oneof(fc.anything(), fc.jsonValue())), fc.anything()), fc.boolean(), (input, coerce) => {
        const result = parseTicks(input, { coerce });
        expect(result.rows.length + result.rejected).toBe(Array.isArray(input) ? input.length : 0);
        for (const row of result.rows) expect(TickSchema.safeParse(row).success).toBe(true);
      }),
    );
    expect(Reflect.ownKeys(Object.prototype).length).toBe(before);
  });
});

describeFixtures('parseTicks on real files', () => {
  it('reads all 12,477 freqtrade XRP_ETH trades (ccxt list rows, string ids) with coerce', () => {
    const raw = readFixtureJson('real/freqtrade/XRP_ETH-trades.json.gz') as unknown[][];
    const input = raw.map(([timestamp, tradeId, , side, price, quantity]) => ({ timestamp, tradeId, side, price, quantity }));
    const result = parseTicks(input, { coerce: true });
    expect(result.issues).toEqual([]);
    expect(result.rows).toHaveLength(12_477);
    // First row of the file: [1570752011620, "13519807", null, "sell", 0.00141342, 23.0, 0.03250866].
    expect(result.rows[0]).toEqual({ timestamp: 1_570_752_011_620, price: 0.00141342, quantity: 23, side: 'sell', tradeId: 13_519_807 });
  });
});
