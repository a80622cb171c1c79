import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_PLAUSIBLE_MS, MIN_PLAUSIBLE_MS, toEpochMs } from '../../src/time/index.js';

// 2025-01-30T10:30:00Z by hand: 20118 days since 1970-01-01 (55 years incl. 14 leap days, + 29)
// * 86400 s + 10.5 h * 3600 s = 1738233000 s.
const T = 1_738_233_000_000;

function codeOf(value: unknown, options?: Parameters<typeof toEpochMs>[1]): string | undefined {
  const result = toEpochMs(value, options);
  return result.ok ? undefined : result.issues[0]?.code;
}

describe('toEpochMs', () => {
  it('detects seconds, milliseconds, microseconds and nanoseconds by magnitude', () => {
    expect(toEpochMs(1_738_233_000)).toEqual({ ok: true, value: T });
    expect(toEpochMs(T)).toEqual({ ok: true, value: T });
    expect(toEpochMs(1_738_233_000_000_000)).toEqual({ ok: true, value: T });
    expect(toEpochMs(1_738_233_000_000_000_000)).toEqual({ ok: true, value: T });
  });

  it('uses a stated unit', () => {
    expect(toEpochMs(1_738_233_000, { unit: 's' })).toEqual({ ok: true, value: T });
    expect(toEpochMs(T, { unit: 'ms' })).toEqual({ ok: true, value: T });
    expect(toEpochMs(T * 1000, { unit: 'us' })).toEqual({ ok: true, value: T });
    expect(toEpochMs(T * 1e6, { unit: 'ns' })).toEqual({ ok: true, value: T });
    // The same number in another unit is another instant, and here an implausible one.
    expect(codeOf(T, { unit: 's' })).toBe('implausible_timestamp');
  });

  it('reads seconds with a millisecond fraction', () => {
    expect(toEpochMs(1_738_233_000.123)).toEqual({ ok: true, value: T + 123 });
  });

  it('reads nanosecond numbers above 2^53 to the right millisecond', () => {
    // 1600000000017000000 is not a double; the nearest one reads as 1600000000016.9998 ms
    // if multiplied naively. Every whole millisecond must come back exactly.
    fc.assert(
      fc.property(fc.integer({ min: MIN_PLAUSIBLE_MS, max: MAX_PLAUSIBLE_MS - 1 }), (ms) => {
        expect(toEpochMs(ms * 1e6)).toEqual({ ok: true, value: ms });
        expect(toEpochMs(ms * 1e6, { truncate: true })).toEqual({ ok: true, value: ms });
        expect(toEpochMs(ms * 1000)).toEqual({ ok: true, value: ms });
        expect(toEpochMs(ms / 1000, { unit: 's' })).toEqual({ ok: true, value: ms });
      }),
    );
  });

  it('reads bigint nanoseconds exactly, and other bigint units when stated', () => {
    expect(toEpochMs(1_738_233_000_123_000_000n)).toEqual({ ok: true, value: T + 123 });
    expect(toEpochMs(1_738_233_000_123_000n, { unit: 'us' })).toEqual({ ok: true, value: T + 123 });
    expect(toEpochMs(1_738_233_000n, { unit: 's' })).toEqual({ ok: true, value: T });
    expect(codeOf(1_738_233_000_123_000_001n)).toBe('fractional_ms');
    expect(toEpochMs(1_738_233_000_123_999_999n, { truncate: true })).toEqual({ ok: true, value: T + 123 });
  });

  it('reads ISO-8601 strings with Z, with offsets and without a zone (as UTC)', () => {
    const cases: [string, number][] = [
      ['2025-01-30T10:30:00Z', T],
      ['2025-01-30T10:30:00.123Z', T + 123],
      ['2025-01-30T11:30:00+01:00', T],
      ['2025-01-30T05:00:00-05:30', T],
      ['2025-01-30T12:30:00+0200', T],
      ['2025-01-30T10:30:00', T],
      ['2025-01-30 10:30:00', T],
      ['2025-01-30T10:30', T],
      ['2025-01-30', Date.UTC(2025, 0, 30)],
      ['  2025-01-30T10:30:00Z ', T],
    ];
    for (const [text, expected] of cases) expect(toEpochMs(text), text).toEqual({ ok: true, value: expected });
  });

  it('reads Date objects', () => {
    expect(toEpochMs(new Date(T))).toEqual({ ok: true, value: T });
    expect(codeOf(new Date(Number.NaN))).toBe('not_a_timestamp');
  });

  it('reads numeric strings like the numbers they spell', () => {
    expect(toEpochMs('1738233000')).toEqual({ ok: true, value: T });
    expect(toEpochMs(String(T))).toEqual({ ok: true, value: T });
  });

  it('reports implausible years, before 1990 and from 2100', () => {
    expect(codeOf('1989-12-31T23:59:59Z')).toBe('implausible_timestamp');
    expect(codeOf('2100-01-01T00:00:00Z')).toBe('implausible_timestamp');
    expect(toEpochMs('2099-12-31T23:59:59.999Z')).toEqual({ ok: true, value: MAX_PLAUSIBLE_MS - 1 });
    expect(toEpochMs('1990-01-01T00:00:00Z')).toEqual({ ok: true, value: MIN_PLAUSIBLE_MS });
    expect(codeOf(Date.UTC(1980, 0, 1), { unit: 'ms' })).toBe('implausible_timestamp');
  });

  it('reports numbers whose unit cannot be told instead of guessing', () => {
    // 42 is 1970 in s, ms, µs or ns; 5e11 ms is 1985, and 5e11 s is year 17814.
    expect(codeOf(42)).toBe('ambiguous_unit');
    expect(codeOf(5e11)).toBe('ambiguous_unit');
    expect(codeOf(0)).toBe('ambiguous_unit');
    // A negative number of plausible magnitude is read in that unit, and is then before 1990.
    expect(codeOf(-T)).toBe('implausible_timestamp');
  });

  it('reports a sub-millisecond part unless truncate is set', () => {
    expect(codeOf(T + 0.5)).toBe('fractional_ms');
    expect(codeOf(1_738_233_000_000_500)).toBe('fractional_ms'); // µs with 0.5 ms
    expect(codeOf('2025-01-30T10:30:00.0005Z')).toBe('fractional_ms');
    expect(toEpochMs(T + 0.5, { truncate: true })).toEqual({ ok: true, value: T });
    expect(toEpochMs('2025-01-30T10:30:00.123456789Z', { truncate: true })).toEqual({ ok: true, value: T + 123 });
  });

  it('reports unparseable strings and impossible calendar dates', () => {
    for (const text of ['yesterday', '', '2025-13-01', '2025-02-30', '2025-01-30T24:00:00Z', '2025-01-30T10:30:00+25:00', '0x65a0']) {
      expect(codeOf(text), text).toBe('invalid_date');
    }
  });

  it('reports values that are not timestamps at all', () => {
    for (const value of [null, undefined, {}, [], true, Number.NaN, Infinity, Symbol('t')]) {
      expect(codeOf(value)).toBe('not_a_timestamp');
    }
  });

  it('never throws and returns only integers within the plausible range', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.double(), fc.bigInt(), fc.string(), fc.date({ noInvalidDate: false }), fc.anything()),
        fc.constantFrom(undefined, 's', 'ms', 'us', 'ns'),
        fc.boolean(),
        (value, unit, truncate) => {
          const result = toEpochMs(value, unit === undefined ? { truncate } : { unit, truncate });
          if (result.ok) {
            expect(Number.isSafeInteger(result.value)).toBe(true);
            expect(result.value).toBeGreaterThanOrEqual(MIN_PLAUSIBLE_MS);
            expect(result.value).toBeLessThan(MAX_PLAUSIBLE_MS);
          } else {
            expect(result.issues.length).toBeGreaterThan(0);
          }
        },
      ),
    );
  });

  describe('at the edges of each rule (issue 25)', () => {
    const issueOf = (value: unknown, options?: Parameters<typeof toEpochMs>[1]): { code: string; path: unknown; message: string } => {
      const result = toEpochMs(value, options);
      if (result.ok) throw new Error(`expected an issue for ${String(value)}`);
      return result.issues[0] as { code: string; path: unknown; message: string };
    };

    it('names the value in every issue, with an empty path (a standalone value)', () => {
      const cases: [unknown, Parameters<typeof toEpochMs>[1], string, string][] = [
        [Number.NaN, { unit: 'ms' }, 'not_a_timestamp', 'NaN'],
        [Infinity, undefined, 'not_a_timestamp', 'Infinity'],
        [T + 0.5, undefined, 'fractional_ms', String(T + 0.5)],
        [Date.UTC(1980, 0, 1), { unit: 'ms' }, 'implausible_timestamp', String(Date.UTC(1980, 0, 1))],
        [42, undefined, 'ambiguous_unit', '42'],
        [1_738_233_000_123_000_001n, undefined, 'fractional_ms', '1738233000123000001n'],
        ['yesterday', undefined, 'invalid_date', 'yesterday'],
        ['2025-02-30', undefined, 'invalid_date', '2025-02-30'],
        ['2025-01-30T10:30:00+24:00', undefined, 'invalid_date', '+24:00'],
        [new Date(Date.UTC(1980, 0, 1)), undefined, 'implausible_timestamp', String(Date.UTC(1980, 0, 1))],
        [315_532_800n, { unit: 's' }, 'implausible_timestamp', '315532800n'],
      ];
      for (const [value, options, code, shown] of cases) {
        const found = issueOf(value, options);
        expect(found.code, String(value)).toBe(code);
        expect(found.path).toEqual([]);
        expect(found.message, String(value)).toContain(shown);
      }
      expect(issueOf(null).message).toContain('null');
      expect(issueOf(new Date(Number.NaN)).message).toContain('Invalid Date');
      expect(issueOf(1e308, { unit: 's' }).message).toContain('1e+308');
      expect(issueOf(1n).message).toContain('1n');
      expect(issueOf({}).message).toContain('object');
      expect(issueOf(undefined).message).toContain('undefined');
    });

    it('refuses a millisecond number one unit in the last place away from a whole millisecond', () => {
      // T < 2^41, so doubles near it are 2^-12 ms apart: T + 2^-12 has a (tiny) sub-millisecond part.
      expect(codeOf(T + 2 ** -12)).toBe('fractional_ms');
      expect(codeOf(T + 2 ** -12, { unit: 'ms' })).toBe('fractional_ms');
    });

    it('reads 2100-01-01T00:00:00Z in ms as in no unit (the plausible range ends before it)', () => {
      expect(codeOf(MAX_PLAUSIBLE_MS)).toBe('ambiguous_unit');
      expect(toEpochMs(MAX_PLAUSIBLE_MS - 1)).toEqual({ ok: true, value: MAX_PLAUSIBLE_MS - 1 });
    });

    it('reads numeric strings with a fraction of several digits', () => {
      expect(toEpochMs('1738233000.123')).toEqual({ ok: true, value: T + 123 });
      expect(toEpochMs(' 1738233000.5 ')).toEqual({ ok: true, value: T + 500 });
    });

    it('refuses minute 60, second 60 and a year before 100 (which Date.UTC reads as 19xx)', () => {
      expect(codeOf('2025-01-30T10:60:00Z')).toBe('invalid_date');
      expect(codeOf('2025-01-30T10:30:60Z')).toBe('invalid_date');
      expect(codeOf('0095-06-15')).toBe('invalid_date');
      expect(toEpochMs('2025-01-30T10:59:59Z')).toEqual({ ok: true, value: T + 29 * 60_000 + 59_000 });
    });

    it('accepts offsets up to ±23:59 and refuses minute 60 of an offset', () => {
      // 10:30Z is 09:30 on the 31st at +23:00, 16:29 at +05:59, and 10:30 at +00:00.
      expect(toEpochMs('2025-01-31T09:30:00+23:00')).toEqual({ ok: true, value: T });
      expect(toEpochMs('2025-01-30T16:29:00+05:59')).toEqual({ ok: true, value: T });
      expect(toEpochMs('2025-01-30T10:30:00+00')).toEqual({ ok: true, value: T });
      expect(codeOf('2025-01-30T10:30:00+01:60')).toBe('invalid_date');
    });
  });
});
