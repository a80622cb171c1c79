import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OhlcvSchema, parseOhlcv, parseOhlcvColumns } from '../../src/schemas/index.js';
import { toRows } from '../../src/formats/to-rows.js';
import { describeFixtures, readFixtureJson } from '../support/fixtures.js';

// 2025-01-30T10:30:00Z, worked out by hand: 20118 days * 86400 s + 10.5 h * 3600 s = 1738233000 s.
const T = 1_738_233_000_000;
const bar = { timestamp: T, open: 45050, high: 45080, low: 45020, close: 45060, volume: 125.5 } as const;

const KNOWN_FIELDS = new Set([
  'timestamp',
  'open',
  'high',
  'low',
  'close',
  'volume',
  'quoteVolume',
  'trades',
  'takerBuyVolume',
  'flag',
  'count',
]);

function deepFreeze<V>(value: V): V {
  if (typeof value === 'object' && value !== null) {
    for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key]);
    Object.freeze(value);
  }
  return value;
}

/** The property names of Object.prototype, to prove nothing was added to it. */
function prototypeSnapshot(): string[] {
  return Reflect.ownKeys(Object.prototype).map(String).sort();
}

describe('parseOhlcv', () => {
  it('returns clean rows as new objects holding only the known fields', () => {
    const input = deepFreeze([{ ...bar, extra: 'x', symbol: 'BTCUSD' }]);
    const result = parseOhlcv(input);
    expect(result).toEqual({ rows: [bar], issues: [], rejected: 0 });
    expect(result.rows[0]).not.toBe(input[0]);
    expect(Object.keys(result.rows[0] ?? {})).toEqual(['timestamp', 'open', 'high', 'low', 'close', 'volume']);
  });

  it('reads the specification’s optional fields in its spelling: quote_volume, trades, taker_buy_volume', () => {
    // SPECIFICATION.md, OHLCV schema: 'quote_volume': float64, 'trades': int64,
    // 'taker_buy_volume': float64, all optional. They become quoteVolume, trades, takerBuyVolume.
    const result = parseOhlcv([
      { ...bar, quote_volume: 5_654_000, trades: 12, taker_buy_volume: 60 },
      { ...bar, quote_volume: 5_654_000 },
      { ...bar, taker_buy_volume: null },
    ]);
    expect(result).toEqual({
      rows: [{ ...bar, quoteVolume: 5_654_000, trades: 12, takerBuyVolume: 60 }, { ...bar, quoteVolume: 5_654_000 }, bar],
      issues: [],
      rejected: 0,
    });
  });

  it('checks the specification’s spelling like the camelCase one, and refuses a row whose two spellings disagree', () => {
    const result = parseOhlcv(
      [
        { ...bar, quote_volume: 'x' },
        { ...bar, quote_volume: '5654000', taker_buy_volume: '60' },
        { ...bar, quoteVolume: 5_654_000, quote_volume: 5_654_000 },
        { ...bar, takerBuyVolume: 60, taker_buy_volume: 61 },
      ],
      { coerce: true },
    );
    expect(result.rows).toEqual([
      { ...bar, quoteVolume: 5_654_000, takerBuyVolume: 60 },
      { ...bar, quoteVolume: 5_654_000 },
    ]);
    expect(result.issues.map((i) => [i.code, i.path])).toEqual([
      ['invalid_number', [0, 'quote_volume']],
      ['conflicting_values', [3, 'taker_buy_volume']],
    ]);
  });

  it('returns a row that already is a clean bar as it is, and rebuilds the others', () => {
    const clean = Object.freeze({ ...bar });
    const withNegativeZero = { ...bar, volume: -0 };
    const nullPrototype = Object.assign(Object.create(null) as object, bar);
    const result = parseOhlcv([clean, withNegativeZero, nullPrototype]);
    expect(result.rows[0]).toBe(clean);
    expect(result.rows[1]).not.toBe(withNegativeZero);
    expect(Object.is(result.rows[1]?.volume, 0)).toBe(true);
    expect(result.rows[2]).not.toBe(nullPrototype);
    expect(Object.getPrototypeOf(result.rows[2])).toBe(Object.prototype);
  });

  it('reports NaN and ±Infinity as not_finite at [row, field]', () => {
    const result = parseOhlcv([bar, { ...bar, high: NaN }, { ...bar, low: Infinity, volume: -Infinity }]);
    expect(result.rows).toEqual([bar]);
    expect(result.rejected).toBe(2);
    expect(result.issues.map((i) => [i.code, i.path])).toEqual([
      ['not_finite', [1, 'high']],
      ['not_finite', [2, 'low']],
      ['not_finite', [2, 'volume']],
    ]);
    expect(result.issues[0]?.message).toContain('NaN');
  });

  it('turns -0 into 0 in every numeric field', () => {
    const result = parseOhlcv([{ ...bar, open: -0, volume: -0, quoteVolume: -0 }]);
    expect(Object.is(result.rows[0]?.open, 0)).toBe(true);
    expect(Object.is(result.rows[0]?.volume, 0)).toBe(true);
    expect(Object.is(result.rows[0]?.quoteVolume, 0)).toBe(true);
  });

  it('refuses numeric strings unless coerce is set', () => {
    const row = { timestamp: String(T), open: '45050', high: '45080.0', low: '4.502e4', close: '45060', volume: '125.5' };
    const strict = parseOhlcv([row]);
    expect(strict.rows).toEqual([]);
    expect(strict.issues.map((i) => i.code)).toEqual(Array(6).fill('invalid_type'));
    expect(strict.issues[1]?.message).toContain('coerce');
    expect(parseOhlcv([row], { coerce: true })).toEqual({ rows: [{ ...bar }], issues: [], rejected: 0 });
  });

  it('refuses blank, hex and word strings even with coerce', () => {
    const result = parseOhlcv([{ ...bar, open: '', high: '0x10', low: 'NaN', close: ' 1 ' }], { coerce: true });
    expect(result.issues.map((i) => [i.code, i.path[1]])).toEqual([
      ['invalid_number', 'open'],
      ['invalid_number', 'high'],
      ['invalid_number', 'low'],
      ['invalid_number', 'close'],
    ]);
  });

  it('reports null and missing required fields as invalid_type', () => {
    const { timestamp: _t, ...noTimestamp } = bar;
    const result = parseOhlcv([{ ...bar, close: null }, noTimestamp]);
    expect(result.issues.map((i) => [i.code, i.path])).toEqual([
      ['invalid_type', [0, 'close']],
      ['invalid_type', [1, 'timestamp']],
    ]);
    expect(result.issues[0]?.message).toContain('null');
  });

  it('reads optional fields, treating null as absent', () => {
    const result = parseOhlcv([
      { ...bar, quoteVolume: 5_654_000, trades: 12, takerBuyVolume: 60, flag: 'forward_filled', count: 5 },
      { ...bar, quoteVolume: null, trades: null },
    ]);
    expect(result.rows).toEqual([
      { ...bar, quoteVolume: 5_654_000, trades: 12, takerBuyVolume: 60, flag: 'forward_filled', count: 5 },
      bar,
    ]);
  });

  it('refuses bad optional fields', () => {
    const result = parseOhlcv([
      { ...bar, trades: -1 },
      { ...bar, count: 1.5 },
      { ...bar, flag: 'made_up' },
    ]);
    expect(result.issues.map((i) => [i.code, i.path])).toEqual([
      ['invalid_value', [0, 'trades']],
      ['invalid_value', [1, 'count']],
      ['invalid_value', [2, 'flag']],
    ]);
  });

  it('keeps huge finite prices and leaves their judgement to validation', () => {
    expect(parseOhlcv([{ ...bar, high: 1e308 }]).rows[0]?.high).toBe(1e308);
  });

  it('reads timestamps in every form toEpochMs accepts', () => {
    const forms: unknown[] = [
      T / 1000, // seconds
      T, // milliseconds
      T * 1000, // microseconds
      BigInt(T) * 1_000_000n, // bigint nanoseconds
      '2025-01-30T10:30:00Z',
      '2025-01-30T11:30:00+01:00',
      new Date(T),
    ];
    const result = parseOhlcv(forms.map((timestamp) => ({ ...bar, timestamp })));
    expect(result.issues).toEqual([]);
    expect(result.rows.map((r) => r.timestamp)).toEqual(Array(forms.length).fill(T));
  });

  it('uses the stated timestamp unit', () => {
    expect(parseOhlcv([{ ...bar, timestamp: T / 1000 }], { timestampUnit: 's' }).rows[0]?.timestamp).toBe(T);
    // 1738233000000 read as seconds is year ~57000: implausible.
    expect(parseOhlcv([bar], { timestampUnit: 's' }).issues[0]?.code).toBe('implausible_timestamp');
  });

  it('reports implausible, ambiguous and fractional timestamps', () => {
    const result = parseOhlcv([
      { ...bar, timestamp: Date.UTC(1980, 0, 1) },
      { ...bar, timestamp: 42 },
      { ...bar, timestamp: T + 0.5 },
      { ...bar, timestamp: 'yesterday' },
    ]);
    expect(result.issues.map((i) => [i.code, i.path])).toEqual([
      ['ambiguous_unit', [0, 'timestamp']],
      ['ambiguous_unit', [1, 'timestamp']],
      ['fractional_ms', [2, 'timestamp']],
      ['invalid_date', [3, 'timestamp']],
    ]);
    expect(parseOhlcv([{ ...bar, timestamp: T + 0.5 }], { truncate: true }).rows[0]?.timestamp).toBe(T);
    expect(parseOhlcv([{ ...bar, timestamp: Date.UTC(1980, 0, 1) }], { timestampUnit: 'ms' }).issues[0]?.code).toBe(
      'implausible_timestamp',
    );
  });

  it('reports an input that is not an array at the empty path', () => {
    for (const input of [null, undefined, 42, 'bars', { 0: bar, length: 1 }]) {
      const result = parseOhlcv(input);
      expect(result.rows).toEqual([]);
      expect(result.rejected).toBe(0);
      expect(result.issues).toEqual([expect.objectContaining({ code: 'invalid_type', path: [] })]);
    }
  });

  it('reports rows that are not objects at [row]', () => {
    // eslint-disable-next-line no-sparse-arrays
    const result = parseOhlcv([null, 7, [T, 1, 2, 0.5, 1.5, 10], , bar]);
    expect(result.rows).toEqual([bar]);
    expect(result.issues.map((i) => i.path)).toEqual([[0], [1], [2], [3]]);
    expect(result.rejected).toBe(4);
  });

  it('never lets __proto__, constructor or prototype keys reach Object.prototype', () => {
    const before = prototypeSnapshot();
    const input: unknown = JSON.parse(
      `[{"timestamp":${T},"open":1,"high":2,"low":0.5,"close":1.5,"volume":10,` +
        `"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"prototype":{"polluted":true}},` +
        `{"__proto__":{"timestamp":${T},"open":1,"high":2,"low":0.5,"close":1.5,"volume":10}}]`,
    );
    const result = parseOhlcv(input, { coerce: true });
    expect(result.rows).toEqual([{ timestamp: T, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10 }]);
    // The second row's fields sit behind an own `__proto__` key: they are not its fields.
    expect(result.issues.filter((i) => i.path[0] !== 1)).toEqual([]);
    const row = result.rows[0] as object;
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
    expect(Object.hasOwn(row, '__proto__')).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(prototypeSnapshot()).toEqual(before);
  });

  it('never throws on arbitrary JSON-like input and leaves Object.prototype unchanged', () => {
    const before = prototypeSnapshot();
    const field = fc.oneof(
      fc.double(),
      fc.integer(),
      fc.constantFrom(-0, NaN, Infinity, -Infinity, 1e308, T, T / 1000, null, undefined, '1.5', '', '0x1f'),
      fc.string(),
      fc.boolean(),
      fc.jsonValue(),
    );
    const row = fc.oneof(
      fc.record(
        {
          timestamp: field,
          open: field,
          high: field,
          low: field,
          close: field,
          volume: field,
          quoteVolume: field,
          trades: field,
          flag: field,
          ['__proto__']: fc.jsonValue(),
          prototype: fc.jsonValue(),
          constructor: fc.jsonValue(),
        },
        { requiredKeys: [] },
      ),
      fc.jsonValue(),
      fc.anything(),
    );
    fc.assert(
      fc.property(fc.oneof(fc.array(row), fc.anything()), fc.boolean(), (input, coerce) => {
        const result = parseOhlcv(input, { coerce });
        const length = Array.isArray(input) ? input.length : 0;
        expect(result.rows.length + result.rejected).toBe(length);
        // Every bar it returns is a valid OhlcvSchema bar with no field beyond the known ones.
        for (const bar of result.rows) {
          expect(OhlcvSchema.safeParse(bar).success).toBe(true);
          expect(Object.keys(bar).filter((key) => !KNOWN_FIELDS.has(key))).toEqual([]);
          expect(Object.getPrototypeOf(bar)).toBe(Object.prototype);
        }
        // Every refused row has at least one issue at its index; a non-array input has one at [].
        const flagged = new Set(result.issues.map((i) => i.path[0]));
        if (Array.isArray(input)) expect(flagged.size).toBe(result.rejected);
        else expect(result.issues.map((i) => i.path)).toEqual([[]]);
      }),
      { numRuns: 500 },
    );
    expect(prototypeSnapshot()).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('accepts exactly the rows OhlcvSchema accepts when the numbers are plain', () => {
    const value = fc.oneof(fc.double(), fc.constantFrom(-0, NaN, Infinity, 0.5));
    fc.assert(
      fc.property(
        fc.record({
          timestamp: fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2099, 11, 31) }),
          open: value,
          high: value,
          low: value,
          close: value,
          volume: value,
        }),
        (row) => {
          const ours = parseOhlcv([row]);
          const zod = OhlcvSchema.safeParse(row);
          expect(ours.rows.length === 1).toBe(zod.success);
          // Same values, except that -0 is normalised to 0 (JSON.stringify writes both as 0).
          if (zod.success) expect(JSON.stringify(ours.rows[0])).toBe(JSON.stringify(zod.data));
        },
      ),
    );
  });
});

describeFixtures('parseOhlcv on real files', () => {
  const toObjects = (rows: unknown): unknown[] =>
    (rows as unknown[][]).map(([timestamp, open, high, low, close, volume]) => ({ timestamp, open, high, low, close, volume }));

  it('reads every row of freqtrade UNITTEST_BTC-1m.json (13,681 clean rows per the fixture README)', () => {
    const input = toObjects(readFixtureJson('real/freqtrade/UNITTEST_BTC-1m.json'));
    const result = parseOhlcv(input);
    expect(result.issues).toEqual([]);
    expect(result.rows).toHaveLength(13_681);
    // First row of the file: [1509836520000, 0.00162008, 0.00162008, 0.00162008, 0.00162008, 108.14853839].
    expect(result.rows[0]).toEqual({
      timestamp: 1_509_836_520_000,
      open: 0.00162008,
      high: 0.00162008,
      low: 0.00162008,
      close: 0.00162008,
      volume: 108.14853839,
    });
  });

  it('reports the null volume of every row of the futures mark file and throws nothing', () => {
    const input = toObjects(readFixtureJson('real/freqtrade/futures/XRP_USDT_USDT-1h-mark.json'));
    const result = parseOhlcv(input);
    // README: 100 rows, volume null in every row.
    expect(result.rows).toEqual([]);
    expect(result.rejected).toBe(100);
    expect(result.issues).toHaveLength(100);
    expect(result.issues.filter((i) => !(i.code === 'invalid_type' && i.path[1] === 'volume'))).toEqual([]);
  });

  it('reads the funding-rate file, jittered timestamps included', () => {
    const input = toObjects(readFixtureJson('real/freqtrade/futures/XRP_USDT_USDT-8h-funding_rate.json'));
    const result = parseOhlcv(input);
    // README: 91 rows; timestamps jitter by a few ms (parsing keeps them; alignment is validation's job).
    expect(result.issues).toEqual([]);
    expect(result.rows).toHaveLength(91);
    expect(result.rows[0]?.timestamp).toBe(1_637_193_600_017);
  });
});

describe('parseOhlcv and parseOhlcvColumns on exotic rows (issue 16 item 15)', () => {
  // The promise: parsers never throw on data. A read that throws (a getter, a Proxy trap) refuses
  // the row with an issue at its index; every getter is read once; a parsed row holds plain values.
  const throwing = (): Record<string, unknown> =>
    Object.defineProperty({ ...bar }, 'close', {
      enumerable: true,
      get(): never {
        throw new Error('boom');
      },
    });
  const trap = (): unknown =>
    new Proxy(
      { ...bar },
      {
        get(): never {
          throw new RangeError('trap');
        },
      },
    );

  it('refuses a row whose read throws, with an unreadable_row issue at its index, and reads the others', () => {
    for (const exotic of [throwing(), trap()]) {
      const input = [bar, exotic, { ...bar, timestamp: T + 60_000 }];
      const rows = parseOhlcv(input);
      expect(rows.rows.map((r) => r.timestamp)).toEqual([T, T + 60_000]);
      expect(rows.rejected).toBe(1);
      expect(rows.issues.map((i) => [i.code, i.path])).toEqual([['unreadable_row', [1]]]);
      const columns = parseOhlcvColumns(input);
      expect(Array.from(columns.columns.timestamp)).toEqual([T, T + 60_000]);
      expect(columns.issues.map((i) => [i.code, i.path])).toEqual([['unreadable_row', [1]]]);
    }
  });

  it('reads each getter once and returns a plain copy holding the values it read', () => {
    for (const parse of [(x: unknown) => parseOhlcv(x).rows[0], (x: unknown) => toRows(parseOhlcvColumns(x).columns)[0]]) {
      const reads: Record<string, number> = {};
      let close = 45060;
      const row: Record<string, unknown> = {};
      for (const key of Object.keys(bar)) {
        Object.defineProperty(row, key, {
          enumerable: true,
          get(): unknown {
            reads[key] = (reads[key] ?? 0) + 1;
            // A getter that answers differently on each read: only the first answer may be used.
            return key === 'close' ? close++ : bar[key as keyof typeof bar];
          },
        });
      }
      const parsed = parse([row]);
      expect(reads).toEqual({ timestamp: 1, open: 1, high: 1, low: 1, close: 1, volume: 1 });
      expect(parsed).not.toBe(row);
      expect(parsed).toEqual(bar);
      expect(Object.getOwnPropertyDescriptor(parsed, 'close')).toMatchObject({ value: 45060, writable: true });
    }
  });

  it('reads each field of a Proxy once, its optional fields included', () => {
    const reads: Record<string, number> = {};
    const proxy = new Proxy(
      { ...bar, quoteVolume: 5 },
      {
        get(target, key, receiver): unknown {
          if (typeof key === 'string') reads[key] = (reads[key] ?? 0) + 1;
          return Reflect.get(target, key, receiver) as unknown;
        },
      },
    );
    const result = parseOhlcv([proxy]);
    expect(result.rows).toEqual([{ ...bar, quoteVolume: 5 }]);
    expect(Object.values(reads).every((n) => n === 1)).toBe(true);
    expect(reads.close).toBe(1);
  });
});
