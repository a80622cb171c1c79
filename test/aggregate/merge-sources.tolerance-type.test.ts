import { describe, expect, it } from 'vitest';
import { mergeSources } from '../../src/aggregate/merge-sources.js';
import { ConfigError } from '../../src/errors/config-error.js';
import type { Ohlcv } from '../../src/schemas/ohlcv.js';

const bars: Ohlcv[] = [{ timestamp: Date.UTC(2024, 0, 1), open: 1, high: 1, low: 1, close: 1, volume: 1 }];

// `mergeSources`' TSDoc: a ConfigError for an invalid option, whatever its type. A symbol cannot
// even be compared with a number (`Symbol() >= 0` throws a TypeError), so its type is checked first.
describe('mergeSources’ tolerance of a type that is not a number', () => {
  it.each([
    ['a symbol', Symbol('tolerance')],
    ['a string', '0.01'],
    ['a bigint', 1n],
  ])('is refused with a ConfigError for %s', (_, tolerance) => {
    expect(() => mergeSources(bars, bars, { tolerance: tolerance as never })).toThrow(ConfigError);
  });
});
