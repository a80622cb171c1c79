import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isConfigError } from '../../src/errors/config-error.js';
import type { Ohlcv } from '../../src/schemas/ohlcv.js';
import type { OhlcvColumns } from '../../src/schemas/ohlcv-columns.js';
import { generateOhlcv } from '../../src/testing/generate-ohlcv.js';
import { OhlcvRule } from '../../src/validate/ohlcv-rule.js';
import { validateOhlcv } from '../../src/validate/validate-ohlcv.js';
import { describeFixtures, readFixture, readFixtureJson } from '../support/fixtures.js';

const T0 = Date.UTC(2025, 0, 30, 10, 0);
const MIN = 60_000;
const DAY = 86_400_000;

function bar(i: number, overrides: Partial<Record<keyof Ohlcv, unknown>> = {}): Ohlcv {
  return { timestamp: T0 + i * MIN, open: 100, high: 102, low: 98, close: 101, volume: 5, ...overrides } as Ohlcv;
}

function columns(rows: readonly Ohlcv[]): OhlcvColumns {
  const pick = (f: 'timestamp' | 'open' | 'high' | 'low' | 'close' | 'volume'): Float64Array =>
    Float64Array.from(rows, (r) => (typeof r[f] === 'number' ? r[f] : Number.NaN));
  return {
    length: rows.length,
    timestamp: pick('timestamp'),
    open: pick('open'),
    high: pick('high'),
    low: pick('low'),
    close: pick('close'),
    volume: pick('volume'),
  };
}

function rulesAt(rows: readonly Ohlcv[], options: Parameters<typeof validateOhlcv>[1] = {}): string[] {
  return validateOhlcv(rows, options).issues.map((issue) => `${issue.index}:${issue.rule}`);
}

/** A valid series: aligned 1m open times, low <= open, close <= high, volume >= 0. */
const validSeries = fc
  .array(
    fc.record({
      open: fc.double({ min: 1, max: 1e6, noNaN: true }),
      close: fc.double({ min: 1, max: 1e6, noNaN: true }),
      up: fc.double({ min: 0, max: 1e3, noNaN: true }),
      down: fc.double({ min: 0, max: 0.99, noNaN: true }),
      volume: fc.double({ min: 0, max: 1e9, noNaN: true }),
      step: fc.integer({ min: 1, max: 5 }),
    }),
    { minLength: 1, maxLength: 60 },
  )
  .map((parts) => {
    let t = T0;
    return parts.map((p): Ohlcv => {
      t += p.step * MIN;
      const high = Math.max(p.open, p.close) + p.up;
      const low = Math.min(p.open, p.close) * (1 - p.down);
      return { timestamp: t, open: p.open, high, low, close: p.close, volume: p.volume };
    });
  });

describe('validateOhlcv', () => {
  it('accepts a valid bar', () => {
    expect(validateOhlcv([bar(0), bar(1)])).toEqual({ valid: true, validCount: 2, invalidCount: 0, issues: [] });
  });

  it('reports each of the specification rules with its id, index, timestamp and the offending values', () => {
    const rows = [
      bar(0),
      bar(1, { open: 103 }), // open above high
      bar(2, { close: 97 }), // close below low
      bar(3, { volume: -1 }),
      bar(3), // same time as the previous bar
    ];
    const result = validateOhlcv(rows);
    expect(result.issues.map((i) => [i.index, i.rule])).toEqual([
      [1, 'high_gte_open_close'],
      [2, 'low_lte_open_close'],
      [3, 'volume_non_negative'],
      [4, 'timestamp_ascending'],
    ]);
    expect(result.issues[0]).toEqual({
      rule: 'high_gte_open_close',
      index: 1,
      timestamp: T0 + MIN,
      severity: 'error',
      message: 'Bar 1: high 102 is below max(open 103, close 101)',
    });
    expect(result.issues[3]?.message).toContain('equal to');
    expect(result).toMatchObject({ valid: false, validCount: 1, invalidCount: 4 });
  });

  it('reports high below low together with the two rules it implies', () => {
    expect(rulesAt([bar(0, { high: 98, low: 102, open: 100, close: 100 })])).toEqual([
      '0:high_gte_low',
      '0:high_gte_open_close',
      '0:low_lte_open_close',
    ]);
  });

  it('reports null, missing, NaN and infinite fields as finite_values only', () => {
    const rows = [
      bar(0, { volume: null }),
      bar(1, { high: Number.POSITIVE_INFINITY }),
      bar(2, { close: Number.NaN }),
      bar(3, { open: undefined }),
    ];
    const result = validateOhlcv(rows);
    expect(result.issues.map((i) => `${i.index}:${i.rule}`)).toEqual([
      '0:finite_values',
      '1:finite_values',
      '2:finite_values',
      '3:finite_values',
    ]);
    expect(result.issues[0]?.message).toBe('Bar 0: volume is null');
    expect(result.issues[1]?.message).toBe('Bar 1: high is Infinity');
    expect(result.invalidCount).toBe(4);
  });

  it('flags timestamps in seconds and fractional milliseconds as implausible', () => {
    const seconds = Math.floor(T0 / 1000);
    const result = validateOhlcv([bar(0, { timestamp: seconds }), bar(1, { timestamp: T0 + MIN + 0.5 })]);
    expect(result.issues.map((i) => i.rule)).toEqual(['timestamp_plausible', 'timestamp_plausible']);
    expect(result.issues[0]?.message).toContain('(seconds?)');
  });

  it('checks alignment only when a timeframe is given, accepting ccxt spellings', () => {
    const rows = [bar(0), bar(1, { timestamp: T0 + MIN + 17 })];
    expect(rulesAt(rows)).toEqual([]);
    expect(rulesAt(rows, { timeframe: '1m' })).toEqual(['1:timestamp_aligned']);
    // 10:00 is on the hourly grid, 10:01:00.017 is not.
    expect(rulesAt(rows, { timeframe: '1h' as never })).toEqual(['1:timestamp_aligned']);
  });

  it('aligns weeks to Monday and months to the 1st', () => {
    const monday = Date.UTC(2025, 0, 27);
    expect(rulesAt([bar(0, { timestamp: monday }), bar(0, { timestamp: monday + 7 * 86_400_000 })], { timeframe: '1W' })).toEqual([]);
    expect(rulesAt([bar(0, { timestamp: Date.UTC(2025, 0, 30) })], { timeframe: '1W' })).toEqual(['0:timestamp_aligned']);
    expect(
      rulesAt([bar(0, { timestamp: Date.UTC(2024, 1, 1) }), bar(0, { timestamp: Date.UTC(2024, 2, 1) })], { timeframe: '1M' }),
    ).toEqual([]);
    expect(rulesAt([bar(0, { timestamp: Date.UTC(2024, 1, 2) })], { timeframe: '1M' })).toEqual(['0:timestamp_aligned']);
  });

  it('gives the same result for rows and columns', () => {
    fc.assert(
      fc.property(validSeries, fc.nat(), fc.constantFrom(-1, Number.NaN, 1e12), (rows, pick, bad) => {
        const k = pick % rows.length;
        const broken = rows.map((r, i) => (i === k ? { ...r, volume: bad, open: r.high + 1 } : r));
        const fromRows = validateOhlcv(broken, { timeframe: '1m' });
        const fromColumns = validateOhlcv(columns(broken), { timeframe: '1m' });
        expect(fromColumns).toEqual(fromRows);
      }),
    );
  });

  it('finds no issue in a valid series (property)', () => {
    fc.assert(
      fc.property(validSeries, (rows) => {
        expect(validateOhlcv(rows, { timeframe: '1m' })).toEqual({ valid: true, validCount: rows.length, invalidCount: 0, issues: [] });
      }),
    );
  });

  it('finds no issue in generated series', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), (seed) => {
        const { bars } = generateOhlcv({ seed, count: 300, timeframe: '5m', gapRate: 0.02 });
        expect(validateOhlcv(bars, { timeframe: '5m' }).issues).toEqual([]);
      }),
      { numRuns: 30 },
    );
  });

  it('reports exactly the broken rule at the index of one inserted bad bar (property)', () => {
    const breakers: Record<string, (r: Ohlcv, prev: Ohlcv | undefined) => Ohlcv> = {
      [OhlcvRule.HighGteOpenClose]: (r) => ({ ...r, open: r.high * 1.5 + 1 }),
      [OhlcvRule.LowLteOpenClose]: (r) => ({ ...r, close: r.low / 2 - 1 }),
      [OhlcvRule.VolumeNonNegative]: (r) => ({ ...r, volume: -1 - r.volume }),
      [OhlcvRule.FiniteValues]: (r) => ({ ...r, low: Number.NaN }),
      [OhlcvRule.TimestampAligned]: (r) => ({ ...r, timestamp: r.timestamp + 1 }),
      [OhlcvRule.TimestampAscending]: (r, prev) => ({ ...r, timestamp: prev?.timestamp ?? r.timestamp }),
    };
    fc.assert(
      fc.property(validSeries, fc.nat(), fc.constantFrom(...Object.keys(breakers)), (rows, pick, rule) => {
        const k = rule === OhlcvRule.TimestampAscending ? 1 + (pick % Math.max(1, rows.length - 1)) : pick % rows.length;
        fc.pre(k < rows.length);
        const broken = rows.map((r, i) => (i === k ? breakers[rule]!(r, rows[i - 1]) : r));
        expect(rulesAt(broken, { timeframe: '1m' })).toEqual([`${k}:${rule}`]);
      }),
    );
  });

  it('never throws on hostile rows', () => {
    const hostile = [null, undefined, {}, { timestamp: '2025-01-01' }, bar(0, { high: 'x' })] as unknown as Ohlcv[];
    const result = validateOhlcv(hostile);
    expect(result.invalidCount).toBe(5);
    expect(result.issues.filter((i) => i.rule !== 'finite_values')).toEqual([]);
  });

  it('does not modify its input', () => {
    const rows = Object.freeze([Object.freeze(bar(0)), Object.freeze(bar(1, { volume: -1 }))]);
    expect(() => validateOhlcv(rows, { timeframe: '1m' })).not.toThrow();
    const cols = columns(rows);
    const copy = Float64Array.from(cols.volume);
    validateOhlcv(Object.freeze(cols));
    expect(cols.volume).toEqual(copy);
  });

  it('throws ConfigError for an unknown timeframe', () => {
    let error: unknown;
    try {
      validateOhlcv([bar(0)], { timeframe: '7m' as never });
    } catch (caught) {
      error = caught;
    }
    expect(isConfigError(error)).toBe(true);
    expect((error as Error).message).toContain('"7m"');
  });

  it('returns a valid empty result for an empty series', () => {
    expect(validateOhlcv([])).toEqual({ valid: true, validCount: 0, invalidCount: 0, issues: [] });
  });
});

type Raw = readonly [number, number, number, number, number, number | null];
const toRows = (raw: readonly Raw[]): Ohlcv[] =>
  raw.map(([timestamp, open, high, low, close, volume]) => ({ timestamp, open, high, low, close, volume }) as Ohlcv);

describeFixtures('validateOhlcv on real data', () => {
  it('validates freqtrade UNITTEST_BTC-1m clean (the README: no duplicates, no OHLC violations)', () => {
    const rows = toRows(readFixtureJson('real/freqtrade/UNITTEST_BTC-1m.json') as Raw[]);
    expect(rows).toHaveLength(13_681);
    expect(validateOhlcv(rows, { timeframe: '1m' })).toEqual({ valid: true, validCount: 13_681, invalidCount: 0, issues: [] });
  });

  it('validates the nautilus btc-perp 1m CSV clean', () => {
    const lines = readFixture('real/nautilus_trader/btc-perp-20211231-20220201_1m.csv').trim().split('\n').slice(1);
    const rows = lines.map((line) => {
      const [time = '', o, h, l, c, v] = line.split(',');
      return {
        timestamp: Date.parse(`${time.slice(0, 19).replace(' ', 'T')}Z`),
        open: Number(o),
        high: Number(h),
        low: Number(l),
        close: Number(c),
        volume: Number(v),
      };
    });
    expect(rows).toHaveLength(45_031);
    expect(validateOhlcv(columns(rows), { timeframe: '1m' }).issues).toEqual([]);
  });

  it('catches the funding-rate file: every row breaks an OHLC rule, 59 timestamps are off the 8H grid', () => {
    const raw = readFixtureJson('real/freqtrade/futures/XRP_USDT_USDT-8h-funding_rate.json') as Raw[];
    const result = validateOhlcv(toRows(raw), { timeframe: '8H' });
    expect(result.invalidCount).toBe(91);
    // high = low = close = 0 and open holds the rate: a positive rate is above the high, a
    // negative one (4 in the README) below the low.
    for (const [index, [, rate]] of raw.entries()) {
      const rules = result.issues.filter((i) => i.index === index && i.rule !== 'timestamp_aligned').map((i) => i.rule);
      expect(rules).toEqual([rate > 0 ? 'high_gte_open_close' : 'low_lte_open_close']);
    }
    expect(result.issues.filter((i) => i.rule === 'low_lte_open_close')).toHaveLength(4);
    expect(result.issues.filter((i) => i.rule === 'timestamp_aligned')).toHaveLength(59);
  });

  it('reports the null volume of every mark-price candle as finite_values', () => {
    const rows = toRows(readFixtureJson('real/freqtrade/futures/XRP_USDT_USDT-1h-mark.json') as Raw[]);
    const result = validateOhlcv(rows, { timeframe: '1H' });
    expect(result.invalidCount).toBe(100);
    expect(new Set(result.issues.map((i) => `${i.rule}: ${i.message.replace(/^Bar \d+: /, '')}`))).toEqual(
      new Set(['finite_values: volume is null']),
    );
  });
});

/**
 * Each rule at its boundary (issue 25), from the rule's definition in `OhlcvRule`: the bar that
 * meets it exactly is valid and the bar one tick (0.01, or 1 ms) past it is not. Every case runs
 * on rows and on columns, alone (a good bar takes the fast combined test) and next to a broken
 * rule that sends the bar down the slow path (`volume: -1`, or a fractional timestamp for the
 * volume cases), so a loosened or tightened comparison on either path changes the answer.
 */
describe('validateOhlcv at each rule boundary', () => {
  const TICK = 0.01;
  interface Boundary {
    readonly name: string;
    readonly rule: string;
    readonly ok: Partial<Record<keyof Ohlcv, unknown>>;
    readonly broken: Partial<Record<keyof Ohlcv, unknown>>;
  }
  const boundaries: readonly Boundary[] = [
    {
      name: 'high == low',
      rule: 'high_gte_low',
      ok: { open: 100, high: 100, low: 100, close: 100 },
      broken: { open: 100 - TICK, high: 100 - TICK, low: 100, close: 100 },
    },
    {
      name: 'high == close > open',
      rule: 'high_gte_open_close',
      ok: { open: 99, high: 101, low: 98, close: 101 },
      broken: { open: 99, high: 101 - TICK, low: 98, close: 101 },
    },
    {
      name: 'high == open > close',
      rule: 'high_gte_open_close',
      ok: { open: 101, high: 101, low: 98, close: 99 },
      broken: { open: 101, high: 101 - TICK, low: 98, close: 99 },
    },
    {
      name: 'low == open < close',
      rule: 'low_lte_open_close',
      ok: { open: 99, high: 102, low: 99, close: 101 },
      broken: { open: 99, high: 102, low: 99 + TICK, close: 101 },
    },
    {
      name: 'low == close < open',
      rule: 'low_lte_open_close',
      ok: { open: 101, high: 102, low: 99, close: 99 },
      broken: { open: 101, high: 102, low: 99 + TICK, close: 99 },
    },
    { name: 'volume == 0', rule: 'volume_non_negative', ok: { volume: 0 }, broken: { volume: -TICK } },
    {
      name: 'volume == Number.MAX_VALUE',
      rule: 'finite_values',
      ok: { volume: Number.MAX_VALUE },
      broken: { volume: Number.POSITIVE_INFINITY },
    },
    { name: 'high == Number.MAX_VALUE', rule: 'finite_values', ok: { high: Number.MAX_VALUE }, broken: { high: Number.POSITIVE_INFINITY } },
    { name: 'low == -Number.MAX_VALUE', rule: 'finite_values', ok: { low: -Number.MAX_VALUE }, broken: { low: Number.NEGATIVE_INFINITY } },
    // 1990-01-01T00:00:00Z is the first plausible millisecond, 2100-01-01T00:00:00Z the first implausible one.
    {
      name: 'timestamp == 1990-01-01Z',
      rule: 'timestamp_plausible',
      ok: { timestamp: Date.UTC(1990, 0, 1) },
      broken: { timestamp: Date.UTC(1990, 0, 1) - 1 },
    },
    {
      name: 'timestamp == 2100-01-01Z - 1 ms',
      rule: 'timestamp_plausible',
      ok: { timestamp: Date.UTC(2100, 0, 1) - 1 },
      broken: { timestamp: Date.UTC(2100, 0, 1) },
    },
    { name: 'timestamp an integer', rule: 'timestamp_plausible', ok: { timestamp: T0 + 1 }, broken: { timestamp: T0 + 1 - 0.5 } },
  ];

  /** The rule ids broken by `rows`, as `index:rule`, from rows and from columns (which must agree). */
  function judged(rows: readonly Ohlcv[], options: Parameters<typeof validateOhlcv>[1] = {}): string[] {
    const fromRows = rulesAt(rows, options);
    expect(validateOhlcv(columns(rows), options).issues.map((issue) => `${issue.index}:${issue.rule}`)).toEqual(fromRows);
    return fromRows;
  }

  for (const { name, rule, ok, broken } of boundaries) {
    const onVolume = 'volume' in ok;
    const brokenTogether = onVolume ? 'timestamp_plausible' : 'volume_non_negative';
    const other: Partial<Record<keyof Ohlcv, unknown>> = onVolume ? { timestamp: T0 + 0.5 } : { volume: -1 };

    it(`${name} is valid; one tick past it breaks ${rule}`, () => {
      expect(judged([bar(0, ok)])).toEqual([]);
      expect(judged([bar(0, broken)])).toContain(`0:${rule}`);
    });

    it(`${name} is still valid for ${rule} when the bar breaks ${brokenTogether}`, () => {
      expect(judged([bar(0, { ...ok, ...other })])).toEqual([`0:${brokenTogether}`]);
      expect(judged([bar(0, { ...broken, ...other })])).toContain(`0:${rule}`);
    });
  }

  it('high one tick below low breaks high_gte_low and high_gte_open_close only (open and close at the low)', () => {
    expect(judged([bar(0, { open: 100, high: 100 - TICK, low: 100, close: 100 })])).toEqual(['0:high_gte_low', '0:high_gte_open_close']);
  });

  it('timestamp_aligned: an open time of the grid is valid, 1 ms later is not, on either path', () => {
    expect(judged([bar(0)], { timeframe: '1m' })).toEqual([]);
    expect(judged([bar(0, { timestamp: T0 + 1 })], { timeframe: '1m' })).toEqual(['0:timestamp_aligned']);
    expect(judged([bar(0, { volume: -1 })], { timeframe: '1m' })).toEqual(['0:volume_non_negative']);
    expect(judged([bar(0, { timestamp: T0 + 1, volume: -1 })], { timeframe: '1m' })).toEqual([
      '0:volume_non_negative',
      '0:timestamp_aligned',
    ]);
    // 1h grid: 10:00Z is an open time, 10:01Z is not.
    expect(judged([bar(0), bar(1)], { timeframe: '1H' })).toEqual(['1:timestamp_aligned']);
  });

  it('timestamp_ascending: 1 ms later is valid; a duplicate and an out-of-order time are not, on rows and on columns', () => {
    expect(judged([bar(0), bar(0, { timestamp: T0 + 1 })])).toEqual([]);
    // Duplicate at index 1, out of order at index 3 (before index 2's time, after index 1's).
    const rows = [bar(0), bar(0), bar(2), bar(1), bar(3)];
    expect(judged(rows)).toEqual(['1:timestamp_ascending', '3:timestamp_ascending']);
    const result = validateOhlcv(columns(rows));
    expect(result).toMatchObject({ valid: false, validCount: 3, invalidCount: 2 });
    expect(result.issues[0]?.message).toBe(`Bar 1: timestamp ${T0} is equal to the previous bar's ${T0}`);
    expect(result.issues[1]?.message).toBe(`Bar 3: timestamp ${T0 + MIN} is before the previous bar's ${T0 + 2 * MIN}`);
  });

  it("timestamp_ascending compares with the previous bar's time, even when that bar was out of order", () => {
    // Index 2 (10:01) is before index 1 (10:03); index 3 (10:02) is after index 2, so it is in order.
    expect(judged([bar(0), bar(3), bar(1), bar(2)])).toEqual(['2:timestamp_ascending']);
    // A duplicate that also breaks another rule is still a duplicate.
    expect(judged([bar(0), bar(0, { volume: -1 })])).toEqual(['1:volume_non_negative', '1:timestamp_ascending']);
  });

  it("names the values in each rule's message", () => {
    const messages = validateOhlcv(
      [
        bar(0, { high: Number.POSITIVE_INFINITY, volume: null }),
        bar(1, { open: 100, high: 99, low: 100.5, close: 100 }),
        bar(2, { low: 100.5 }),
        bar(3, { volume: -2 }),
        bar(4, { timestamp: T0 + 4 * MIN + 1 }),
      ],
      { timeframe: '1m' },
    ).issues.map((issue) => issue.message);
    expect(messages).toEqual([
      'Bar 0: high is Infinity, volume is null',
      'Bar 1: high 99 is below low 100.5',
      'Bar 1: high 99 is below max(open 100, close 100)',
      'Bar 1: low 100.5 is above min(open 100, close 100)',
      'Bar 2: low 100.5 is above min(open 100, close 101)',
      'Bar 3: volume -2 is negative',
      `Bar 4: timestamp ${T0 + 4 * MIN + 1} is not the open time of a 1m bucket`,
    ]);
  });

  it('hints at seconds only for a timestamp that is 1990–2100 in seconds', () => {
    const hint = (timestamp: number): boolean => validateOhlcv([bar(0, { timestamp })]).issues[0]?.message.endsWith(' (seconds?)') ?? false;
    // 1990-01-01Z is 631152000 s and 2100-01-01Z 4102444800 s (exclusive).
    expect(hint(631_152_000)).toBe(true);
    expect(hint(4_102_444_799)).toBe(true);
    expect(hint(631_151_999)).toBe(false);
    expect(hint(4_102_444_800)).toBe(false);
    expect(validateOhlcv([bar(0, { timestamp: 631_151_999 })]).issues[0]?.message).toBe(
      'Bar 0: timestamp 631151999 is not an integer epoch-ms time in 1990–2100',
    );
  });

  it('aligns weeks to Monday on the slow path too, for rows and columns', () => {
    const monday = Date.UTC(2025, 0, 27);
    expect(judged([bar(0, { timestamp: monday, volume: -1 })], { timeframe: '1W' })).toEqual(['0:volume_non_negative']);
    expect(judged([bar(0, { timestamp: monday + DAY, volume: -1 })], { timeframe: '1W' })).toEqual([
      '0:volume_non_negative',
      '0:timestamp_aligned',
    ]);
  });

  it('checks calendar months on rows and columns, counting aligned bars as valid', () => {
    const months = [bar(0, { timestamp: Date.UTC(2024, 1, 1) }), bar(0, { timestamp: Date.UTC(2024, 2, 1) })];
    expect(validateOhlcv(months, { timeframe: '1M' })).toEqual({ valid: true, validCount: 2, invalidCount: 0, issues: [] });
    expect(validateOhlcv(columns(months), { timeframe: '1M' })).toEqual({ valid: true, validCount: 2, invalidCount: 0, issues: [] });
    expect(judged([bar(0, { timestamp: Date.UTC(2024, 1, 2) })], { timeframe: '1M' })).toEqual(['0:timestamp_aligned']);
  });

  it('judges order against the last bar that had a timestamp', () => {
    // Index 1 has no timestamp (finite_values); index 2 is then before index 0.
    expect(judged([bar(2), bar(0, { timestamp: Number.NaN }), bar(1)])).toEqual(['1:finite_values', '2:timestamp_ascending']);
    expect(judged([bar(2), bar(0, { timestamp: Number.NaN, volume: -1 }), bar(3)])).toEqual(['1:finite_values', '1:volume_non_negative']);
  });

  it('refuses columns whose length exceeds their arrays, reading nothing', () => {
    const cols = { ...columns([bar(0), bar(1)]), length: 3 };
    const result = validateOhlcv(cols);
    expect(result).toMatchObject({ valid: false, validCount: 0, invalidCount: 0 });
    expect(result.issues.map((issue) => [issue.index, issue.rule])).toEqual([[-1, 'malformed_columns']]);
    expect(Number.isNaN(result.issues[0]?.timestamp)).toBe(true);
  });

  it('names `timeframe` in the ConfigError for an unknown timeframe', () => {
    try {
      validateOhlcv([bar(0)], { timeframe: '7m' as never });
      expect.unreachable();
    } catch (error) {
      expect(isConfigError(error) && error.path).toEqual(['timeframe']);
    }
  });
});
