import { describe, expect, it } from 'vitest';
import { isConfigError } from '../../src/errors/config-error.js';
import type { Tick } from '../../src/schemas/tick.js';
import { validateTicks } from '../../src/validate/validate-ticks.js';
import { describeFixtures, readFixture, readFixtureJson } from '../support/fixtures.js';

const T0 = Date.UTC(2025, 0, 30, 10, 0);

function tick(i: number, overrides: Partial<Record<keyof Tick, unknown>> = {}): Tick {
  return { timestamp: T0 + i, price: 100, quantity: 1, side: 'buy', tradeId: 1000 + i, ...overrides } as Tick;
}

const rules = (ticks: readonly Tick[], increasingIds = false): string[] =>
  validateTicks(ticks, { increasingIds }).issues.map((i) => `${i.index}:${i.rule}`);

describe('validateTicks', () => {
  it('accepts valid trades, including several in one millisecond', () => {
    expect(validateTicks([tick(0), tick(1), tick(1, { tradeId: 2000, side: 'sell' })])).toEqual({
      valid: true,
      validCount: 3,
      invalidCount: 0,
      issues: [],
    });
  });

  it('reports non-positive prices and quantities, bad sides and decreasing timestamps', () => {
    expect(
      rules([tick(0), tick(1, { price: 0 }), tick(2, { quantity: -1 }), tick(3, { side: 'BUY' }), tick(4, { timestamp: T0 + 2 })]),
    ).toEqual(['1:price_positive', '2:quantity_positive', '3:side_valid', '4:timestamp_non_decreasing']);
  });

  it('reports a repeated trade id at the repeat, naming the first index', () => {
    const result = validateTicks([tick(0), tick(1), tick(2, { tradeId: 1000 })]);
    expect(result.issues).toEqual([
      {
        rule: 'trade_id_unique',
        index: 2,
        timestamp: T0 + 2,
        severity: 'error',
        message: 'Trade 2: trade id 1000 already appeared at index 0',
      },
    ]);
  });

  it('checks increasing ids only when the source guarantees them', () => {
    const ticks = [tick(0, { tradeId: 5 }), tick(1, { tradeId: 3 })];
    expect(rules(ticks)).toEqual([]);
    expect(rules(ticks, true)).toEqual(['1:trade_id_increasing']);
  });

  it('reports missing and non-finite fields and implausible timestamps without throwing', () => {
    const hostile = [null, tick(1, { price: Number.NaN, tradeId: 1.5 }), tick(2, { timestamp: 1_738_231_200 })] as unknown as Tick[];
    expect(rules(hostile)).toEqual([
      '0:finite_values',
      '0:side_valid',
      '1:finite_values',
      '2:timestamp_non_decreasing',
      '2:timestamp_plausible',
    ]);
  });

  it('throws ConfigError when increasingIds is not a boolean', () => {
    expect(() => validateTicks([], { increasingIds: 'yes' as never })).toThrow(/increasingIds/);
    try {
      validateTicks([], { increasingIds: 1 as never });
    } catch (error) {
      expect(isConfigError(error)).toBe(true);
    }
  });

  it('does not modify its input', () => {
    const ticks = Object.freeze([Object.freeze(tick(0)), Object.freeze(tick(1, { tradeId: 1000 }))]);
    expect(validateTicks(ticks).invalidCount).toBe(1);
  });
});

describeFixtures('validateTicks on real data', () => {
  it('validates the 12,477 Binance aggTrades clean, ids contiguous and increasing (README)', () => {
    const raw = readFixtureJson('real/freqtrade/XRP_ETH-trades.json.gz') as [number, string, null, string, number, number, number][];
    const ticks = raw.map(
      ([timestamp, id, , side, price, amount]) => ({ timestamp, price, quantity: amount, side, tradeId: Number(id) }) as Tick,
    );
    expect(ticks).toHaveLength(12_477);
    expect(validateTicks(ticks, { increasingIds: true }).issues).toEqual([]);
  });

  it('catches the duplicate trade ids of the hand-edited orderflow example (1588563959 and 1588563960)', () => {
    const lines = readFixture('real/freqtrade/orderflow/public_trades_list_simple_example.csv').trim().split('\n').slice(1);
    const ticks = lines.map((line) => {
      const [, timestamp, id, , side, price, amount] = line.split(',').map((f) => f.trim());
      return { timestamp: Number(timestamp), price: Number(price), quantity: Number(amount), side, tradeId: Number(id) } as Tick;
    });
    const duplicates = validateTicks(ticks).issues.filter((i) => i.rule === 'trade_id_unique');
    expect(duplicates.map((i) => ticks[i.index]?.tradeId).sort()).toEqual([1588563959, 1588563960]);
  });
});

/** Each tick rule at its boundary (issue 25), from its definition in `TickRule`. */
describe('validateTicks at each rule boundary', () => {
  const TICK = 0.01;
  it('price_positive and quantity_positive: one tick above 0 is valid, 0 is not', () => {
    expect(rules([tick(0, { price: TICK, quantity: TICK })])).toEqual([]);
    expect(rules([tick(0, { price: 0 }), tick(1, { quantity: 0 })])).toEqual(['0:price_positive', '1:quantity_positive']);
  });

  it('timestamp_non_decreasing: an equal time is valid, 1 ms earlier is not, judged against the previous trade', () => {
    expect(rules([tick(5, { tradeId: 1 }), tick(5, { tradeId: 2 }), tick(6, { tradeId: 3 })])).toEqual([]);
    // Index 2 is 1 ms before index 1; index 3 is after index 2 (the previous trade), so it is in order.
    expect(rules([tick(0, { tradeId: 1 }), tick(5, { tradeId: 2 }), tick(4, { tradeId: 3 }), tick(4, { tradeId: 4 })])).toEqual([
      '2:timestamp_non_decreasing',
    ]);
    const issue = validateTicks([tick(5), tick(4)]).issues[0];
    expect(issue?.message).toContain(`${T0 + 4}`);
    expect(issue?.message).toContain(`${T0 + 5}`);
  });

  it('timestamp_plausible: 1990-01-01Z and 2100-01-01Z − 1 ms are valid; 1 ms outside either is not', () => {
    const first = Date.UTC(1990, 0, 1);
    const end = Date.UTC(2100, 0, 1);
    expect(rules([tick(0, { timestamp: first }), tick(1, { timestamp: end - 1 })])).toEqual([]);
    expect(rules([tick(0, { timestamp: first - 1 })])).toEqual(['0:timestamp_plausible']);
    expect(rules([tick(0, { timestamp: end })])).toEqual(['0:timestamp_plausible']);
    expect(rules([tick(0, { timestamp: T0 + 0.5 })])).toEqual(['0:timestamp_plausible']);
  });

  it('trade_id_increasing: only when asked; one above the previous is valid, one below is not', () => {
    expect(rules([tick(0, { tradeId: 7 }), tick(1, { tradeId: 8 })], true)).toEqual([]);
    expect(rules([tick(0, { tradeId: 7 }), tick(1, { tradeId: 6 })], true)).toEqual(['1:trade_id_increasing']);
    expect(rules([tick(0, { tradeId: 7 }), tick(1, { tradeId: 6 })], false)).toEqual([]);
    // Judged against the previous trade: 6 after 9 breaks it, 8 after 6 does not.
    expect(rules([tick(0, { tradeId: 9 }), tick(1, { tradeId: 6 }), tick(2, { tradeId: 8 })], true)).toEqual(['1:trade_id_increasing']);
  });

  it('finite_values: Number.MAX_SAFE_INTEGER is a trade id, MAX_SAFE_INTEGER + 2 and 1.5 are not', () => {
    expect(rules([tick(0, { tradeId: Number.MAX_SAFE_INTEGER })])).toEqual([]);
    expect(rules([tick(0, { tradeId: Number.MAX_SAFE_INTEGER + 2 }), tick(1, { tradeId: 1.5 })])).toEqual([
      '0:finite_values',
      '1:finite_values',
    ]);
    const issue = validateTicks([tick(0, { price: Infinity, quantity: null, timestamp: 'x', tradeId: 'y' })]).issues[0];
    expect(issue?.message).toContain('timestamp is');
    expect(issue?.message).toContain('price is Infinity');
    expect(issue?.message).toContain('quantity is null');
    expect(issue?.message).toContain('trade id is');
  });

  it('counts a trade once however many rules it breaks', () => {
    expect(validateTicks([tick(0), tick(1, { price: 0, quantity: 0, side: 'x' })])).toMatchObject({
      valid: false,
      validCount: 1,
      invalidCount: 1,
    });
  });

  it('reports each non-finite field alone as finite_values, naming it', () => {
    const cases: [Partial<Record<keyof Tick, unknown>>, string][] = [
      [{ timestamp: Number.NaN }, 'Trade 0: timestamp is NaN'],
      [{ price: Infinity }, 'Trade 0: price is Infinity'],
      [{ quantity: null }, 'Trade 0: quantity is null'],
      [{ tradeId: 1.5 }, 'Trade 0: trade id is 1.5'],
    ];
    for (const [override, message] of cases) {
      const issues = validateTicks([tick(0, override)]).issues.filter((issue) => issue.rule === 'finite_values');
      expect(issues.map((issue) => issue.message)).toEqual([message]);
    }
    expect(validateTicks([tick(0, { price: Infinity, quantity: null })]).issues[0]?.message).toBe(
      'Trade 0: price is Infinity, quantity is null',
    );
  });

  it('reports a repeated id as trade_id_unique only, even when ids must increase', () => {
    expect(rules([tick(0, { tradeId: 7 }), tick(1, { tradeId: 7 })], true)).toEqual(['1:trade_id_unique']);
  });

  it("names the values in each rule's message", () => {
    const messages = validateTicks(
      [tick(0, { tradeId: 9 }), tick(-1, { price: -1, quantity: 0, side: 'x', tradeId: 8 }), tick(1, { timestamp: 5, tradeId: 9 })],
      { increasingIds: true },
    ).issues.map((issue) => issue.message);
    expect(messages).toEqual([
      'Trade 1: price -1 is not positive',
      'Trade 1: quantity 0 is not positive',
      "Trade 1: side \"x\" is not 'buy' or 'sell'",
      `Trade 1: timestamp ${T0 - 1} is before the previous trade's ${T0}`,
      "Trade 1: trade id 8 is below the previous trade's 9",
      `Trade 2: timestamp 5 is before the previous trade's ${T0 - 1}`,
      'Trade 2: timestamp 5 is not an integer epoch-ms time in 1990–2100',
      'Trade 2: trade id 9 already appeared at index 0',
    ]);
  });

  it('names `increasingIds` in its ConfigError', () => {
    try {
      validateTicks([], { increasingIds: 'yes' as never });
      expect.unreachable();
    } catch (error) {
      expect(isConfigError(error) && error.path).toEqual(['increasingIds']);
    }
  });
});
