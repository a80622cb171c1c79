import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromCcxtTrades } from '../../src/formats/from-ccxt-trades.js';
import { TickSchema } from '../../src/schemas/tick.js';
import { describeFixtures, readFixtureJson } from '../support/fixtures.js';

describe('fromCcxtTrades', () => {
  it('reads ccxt trade objects, mapping id to tradeId and amount to quantity', () => {
    const { rows, issues } = fromCcxtTrades([
      { timestamp: 1570752011620, id: '13519807', side: 'sell', price: 0.00141342, amount: 23, cost: 0.03250866, info: {} },
    ]);
    expect(issues).toEqual([]);
    expect(rows).toEqual([{ timestamp: 1570752011620, price: 0.00141342, quantity: 23, side: 'sell', tradeId: 13519807 }]);
  });

  it('reads the list form [timestamp, id, type, side, price, amount, cost]', () => {
    expect(fromCcxtTrades([[1570752028907, '13519810', null, 'buy', 0.00141379, 581, 0.82141199]]).rows).toEqual([
      { timestamp: 1570752028907, price: 0.00141379, quantity: 581, side: 'buy', tradeId: 13519810 },
    ]);
  });

  it('reports bad sides, ids, prices and shapes with index and Tick field', () => {
    const ok = [1570752028907, '1', null, 'buy', 1, 2, 2];
    const { rows, issues } = fromCcxtTrades([
      [1570752028907, '1', null, ' sell', 1, 2, 2],
      { timestamp: 1570752028907, id: 'c5f2a1e0-uuid', side: 'buy', price: 1, amount: 2 },
      ok,
      { timestamp: 1570752028907, id: 3, side: 'buy', price: '1', amount: Number.POSITIVE_INFINITY },
      42,
      [1570752028907, '4'],
    ]);
    expect(rows).toHaveLength(1);
    expect(issues.map((i) => [i.code, i.path])).toEqual([
      ['invalid_value', [0, 'side']],
      ['invalid_value', [1, 'tradeId']],
      ['invalid_type', [3, 'price']],
      ['not_finite', [3, 'quantity']],
      ['invalid_type', [4]],
      ['too_small', [5]],
    ]);
  });

  it('never throws and accounts for every row', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue()), (input) => {
        const { rows, issues, rejected } = fromCcxtTrades(input);
        expect(rejected).toBe(new Set(issues.map((i) => i.path[0])).size);
        expect(rows.length + rejected).toBe(input.length);
      }),
    );
  });

  it('does not read __proto__ as a field', () => {
    const trade = JSON.parse('{"__proto__":{"price":1},"timestamp":1570752028907,"id":"1","side":"buy","amount":2}') as unknown;
    const { issues } = fromCcxtTrades([trade]);
    expect(issues.map((i) => i.path)).toEqual([[0, 'price']]);
    expect(({} as Record<string, unknown>).price).toBeUndefined();
  });
});

describeFixtures('fromCcxtTrades on freqtrade trade files', () => {
  it('reads both forms of the 12,477 XRP/ETH trades to the same ticks', () => {
    const list = fromCcxtTrades(readFixtureJson('real/freqtrade/XRP_ETH-trades.json.gz') as unknown[]);
    const dict = fromCcxtTrades(readFixtureJson('real/freqtrade/XRP_OLD-trades.json.gz') as unknown[]);
    expect(list.issues).toEqual([]);
    expect(dict.issues).toEqual([]);
    expect(list.rows).toHaveLength(12_477); // fixtures/real/README.md
    expect(dict.rows).toEqual(list.rows);
    expect(list.rows.filter((t) => !TickSchema.safeParse(t).success)).toEqual([]);
  });

  it('agrees with the raw Binance aggTrade under each ccxt trade', () => {
    interface Raw {
      info: { a: number; p: string; q: string; T: number; m: boolean };
    }
    const raw = readFixtureJson('real/freqtrade/XRP_OLD-trades.json.gz') as Raw[];
    const { rows } = fromCcxtTrades(raw);
    rows.forEach((tick, i) => {
      const info = (raw[i] as Raw).info;
      expect(tick.tradeId).toBe(info.a);
      expect(tick.timestamp).toBe(info.T);
      expect(tick.price).toBe(Number(info.p));
      expect(tick.quantity).toBe(Number(info.q));
      // Binance `m`: the buyer was the maker, so the taker sold.
      expect(tick.side).toBe(info.m ? 'sell' : 'buy');
    });
    // The ids are contiguous aggTrade ids (fixtures/real/README.md).
    expect(rows.at(-1)!.tradeId - rows[0]!.tradeId).toBe(12_476);
  });
});
