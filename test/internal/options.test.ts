import { describe, expect, it } from 'vitest';
import { isConfigError } from '../../src/errors/config-error.js';
import { describeOption, requireFinite, requireTimeframe, showValue } from '../../src/internal/options.js';

describe('showValue', () => {
  it('quotes strings, writes numbers and bigints, and names arrays and objects by kind', () => {
    expect([showValue('7x'), showValue(5), showValue(5n), showValue(null), showValue(undefined)]).toEqual([
      '"7x"',
      '5',
      '5n',
      'null',
      'undefined',
    ]);
    expect([showValue([1]), showValue({ a: 1 }), showValue(() => 1)]).toEqual(['an array', 'an object', 'function']);
  });
});

describe('describeOption', () => {
  it('shows an option object as JSON, and what JSON cannot write as showValue does', () => {
    expect(describeOption({ period: 0 })).toBe('{"period":0}');
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(describeOption(cyclic)).toBe('an object');
  });
});

describe('requireTimeframe and requireFinite', () => {
  it('accept what they name and throw a ConfigError at the path otherwise', () => {
    expect(requireTimeframe('60m', ['timeframe'])).toBe('1H');
    expect(requireFinite(0, ['now'])).toBe(0);
    let error: unknown;
    try {
      requireFinite(Number.NaN, ['options', 'now']);
    } catch (caught) {
      error = caught;
    }
    expect(isConfigError(error)).toBe(true);
    expect((error as Error).message).toBe('Expected `options.now` to be a finite number (epoch ms), got `NaN`');
  });
});
