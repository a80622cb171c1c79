import { describe, expect, it } from 'vitest';
import { ConfigError, isConfigError } from '../../src/errors/index.js';
import { BINANCE_WEIGHT_LIMIT, DEFAULT_CONFIG, DEFAULT_VALIDITY, resolveConfig } from '../../src/schemas/index.js';

function deepFreeze<V>(value: V): V {
  if (typeof value === 'object' && value !== null) {
    for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key]);
    Object.freeze(value);
  }
  return value;
}

/** A value from an untyped caller (JavaScript, JSON): the runtime checks are what is tested. */
function untyped(value: unknown): Parameters<typeof resolveConfig>[0] {
  return value as Parameters<typeof resolveConfig>[0];
}

function thrown(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (isConfigError(error)) return error;
    throw error;
  }
  throw new Error('expected a ConfigError, nothing was thrown');
}

describe('resolveConfig', () => {
  it('returns the specification defaults when given nothing', () => {
    expect(resolveConfig()).toEqual(DEFAULT_CONFIG);
    expect(resolveConfig({})).toEqual(DEFAULT_CONFIG);
    // Spot checks against the specification's text: weights 0.3/0.3/0.25/0.15, 10 % change, ATR 14.
    const config = resolveConfig();
    expect(config.weights).toEqual({ completeness: 0.3, validity: 0.3, freshness: 0.25, consistency: 0.15 });
    expect(config.validity.priceChangeThreshold).toBe(0.1);
  });

  it('merges nested objects and keeps the fields not overridden', () => {
    const config = resolveConfig({ validity: { volumeWindow: 50 } });
    expect(config.validity).toEqual({ ...DEFAULT_VALIDITY, volumeWindow: 50 });
    expect(config.gaps).toEqual(DEFAULT_CONFIG.gaps);
  });

  it('replaces arrays whole instead of merging them', () => {
    const config = resolveConfig({ symbols: ['SOLUSD'], timeframes: ['1m', '1H'] });
    expect(config.symbols).toEqual(['SOLUSD']);
    expect(config.timeframes).toEqual(['1m', '1H']);
  });

  it('replaces a union variant with another kind whole instead of merging the two', () => {
    const config = resolveConfig({ rateLimit: BINANCE_WEIGHT_LIMIT });
    expect(config.rateLimit).toEqual({ kind: 'weight_window', limit: 6000, windowMs: 60_000 });
    expect(resolveConfig({ rateLimit: { requestsPerMinute: 600 } }).rateLimit).toEqual({ kind: 'sliding_window', requestsPerMinute: 600 });
    expect(resolveConfig({ rateLimit: { kind: 'token_bucket', requestsPerMinute: 600 } }).rateLimit).toEqual({
      kind: 'token_bucket',
      requestsPerMinute: 600,
    });
  });

  it('takes the quality re-arm time of escalation in ms, null (the default) for the quality window', () => {
    expect(resolveConfig().escalation.qualityRearmMs).toBeNull();
    expect(resolveConfig({ escalation: { qualityRearmMs: 600_000 } }).escalation).toEqual({
      ...DEFAULT_CONFIG.escalation,
      qualityRearmMs: 600_000,
    });
    const error = thrown(() => resolveConfig({ escalation: { qualityRearmMs: 0 } }));
    expect(error.path).toEqual(['escalation', 'qualityRearmMs']);
    expect(error.message).toContain('got `0`');
  });

  it('ignores undefined overrides', () => {
    expect(resolveConfig(untyped({ validity: undefined }))).toEqual(DEFAULT_CONFIG);
  });

  it('throws a ConfigError naming the path and the offending value', () => {
    const error = thrown(() => resolveConfig({ validity: { volumeWindow: 0 } }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.path).toEqual(['validity', 'volumeWindow']);
    expect(error.value).toBe(0);
    expect(error.message).toContain('validity.volumeWindow');
    expect(error.message).toContain('`0`');
  });

  it('refuses weights that do not sum to 1, naming the weights', () => {
    const error = thrown(() => resolveConfig({ weights: { completeness: 0.5 } }));
    expect(error.path).toEqual(['weights']);
    expect(error.message).toContain('sum to 1');
    expect(error.message).toContain('"completeness":0.5');
  });

  it('accepts weights that sum to 1 up to floating-point rounding', () => {
    // 0.1 + 0.2 is 0.30000000000000004 in binary floating point.
    const weights = { completeness: 0.1, validity: 0.2, freshness: 0.3, consistency: 0.4 };
    expect(resolveConfig({ weights }).weights).toEqual(weights);
  });

  it('refuses unknown keys, naming them', () => {
    const error = thrown(() => resolveConfig(untyped({ validity: { volumWindow: 50 } })));
    expect(error.path).toEqual(['validity']);
    expect(error.message).toContain('volumWindow');
  });

  it('refuses overrides that are not plain objects', () => {
    for (const value of [null, 42, 'x', [], new Date(0)]) {
      const error = thrown(() => resolveConfig(untyped(value)));
      expect(error.path).toEqual([]);
    }
  });

  it('refuses __proto__, constructor and prototype keys from JSON.parse and leaves Object.prototype alone', () => {
    const before = Reflect.ownKeys(Object.prototype).length;
    const cases: [string, PropertyKey[]][] = [
      ['{"__proto__":{"polluted":true}}', ['__proto__']],
      ['{"validity":{"__proto__":{"polluted":true}}}', ['validity', '__proto__']],
      ['{"constructor":{"prototype":{"polluted":true}}}', ['constructor']],
      ['{"gaps":{"prototype":{"polluted":true}}}', ['gaps', 'prototype']],
    ];
    for (const [text, path] of cases) {
      const error = thrown(() => resolveConfig(untyped(JSON.parse(text))));
      expect(error.path).toEqual(path);
      expect(error.message).toContain(String(path.at(-1)));
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Reflect.ownKeys(Object.prototype).length).toBe(before);
  });

  it('mutates neither the overrides nor the defaults', () => {
    const defaultsBefore = structuredClone(DEFAULT_CONFIG);
    const overrides = deepFreeze({ symbols: ['SOLUSD'], validity: { volumeWindow: 50 }, gaps: { smallMaxBars: 2 } });
    const config = resolveConfig(overrides);
    expect(overrides).toEqual({ symbols: ['SOLUSD'], validity: { volumeWindow: 50 }, gaps: { smallMaxBars: 2 } });
    expect(DEFAULT_CONFIG).toEqual(defaultsBefore);
    // The result shares no object with the overrides: changing it cannot reach them.
    expect(config.symbols).not.toBe(overrides.symbols);
  });

  it('refuses a trades or order-book symbol that is not among `symbols`, with its path', () => {
    const trades = thrown(() => resolveConfig({ symbols: ['BTCUSD'], trades: { symbols: ['BTCUSD', 'ETHUSD'] } }));
    expect(trades.path).toEqual(['trades', 'symbols', 1]);
    expect(trades.value).toBe('ETHUSD');
    const books = thrown(() => resolveConfig({ symbols: ['BTCUSD'], orderBook: { symbols: ['SOLUSD'] } }));
    expect(books.path).toEqual(['orderBook', 'symbols', 0]);
    expect(resolveConfig({ symbols: ['BTCUSD'], trades: { symbols: ['BTCUSD'] } }).trades.symbols).toEqual(['BTCUSD']);
  });
});
