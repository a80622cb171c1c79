import { describe, expect, it, vi } from 'vitest';
import { ConfigError, MarketDataError, isMarketDataError } from '../../src/errors/index.js';

describe('MarketDataError', () => {
  it('carries a literal code, a message, a name and its cause', () => {
    const cause = new Error('socket hang up');
    const error = new MarketDataError('ERR_TEST', 'something failed', { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('ERR_TEST');
    expect(error.message).toBe('something failed');
    expect(error.name).toBe('MarketDataError');
    expect(error.cause).toBe(cause);
  });

  it('has no cause property when none is given', () => {
    expect(Object.hasOwn(new MarketDataError('ERR_TEST', 'x'), 'cause')).toBe(false);
  });
});

describe('isMarketDataError', () => {
  it('recognises errors of this library and refuses look-alikes', () => {
    expect(isMarketDataError(new MarketDataError('ERR_TEST', 'x'))).toBe(true);
    expect(isMarketDataError(new ConfigError('x', { path: [] }))).toBe(true);
    expect(isMarketDataError(Object.assign(new Error('x'), { code: 'ERR_CONFIG' }))).toBe(false);
    for (const value of [null, undefined, 'ERR_CONFIG', 42, {}]) expect(isMarketDataError(value)).toBe(false);
  });

  it('recognises an error of a second copy of the package, which instanceof does not', async () => {
    vi.resetModules();
    const copy = await import('../../src/errors/market-data-error.js');
    expect(copy.MarketDataError).not.toBe(MarketDataError);
    const foreign = new copy.MarketDataError('ERR_TEST', 'from the other copy');
    expect(foreign instanceof MarketDataError).toBe(false);
    expect(isMarketDataError(foreign)).toBe(true);
  });

  it('recognises any object carrying the registered brand and a string code', () => {
    const branded = { [Symbol.for('market-data-pipeline.error')]: true, code: 'ERR_SOURCE' };
    expect(isMarketDataError(branded)).toBe(true);
    expect(isMarketDataError({ [Symbol.for('market-data-pipeline.error')]: true })).toBe(false);
    expect(isMarketDataError({ [Symbol('market-data-pipeline.error')]: true, code: 'ERR_SOURCE' })).toBe(false);
  });
});
