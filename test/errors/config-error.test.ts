import { describe, expect, it, vi } from 'vitest';
import { ConfigError, MarketDataError, isConfigError, isMarketDataError } from '../../src/errors/index.js';
import { SinkError } from '../../src/errors/sink-error.js';

describe('ConfigError', () => {
  it('keeps the path, the offending value and the cause', () => {
    const cause = new Error('zod said no');
    const error = new ConfigError('Expected `period` to be a positive integer, got `0`', { path: ['period'], value: 0, cause });
    expect(error).toBeInstanceOf(MarketDataError);
    expect(error.code).toBe('ERR_CONFIG');
    expect(error.name).toBe('ConfigError');
    expect(error.path).toEqual(['period']);
    expect(error.value).toBe(0);
    expect(error.cause).toBe(cause);
    expect(error.message).toContain('`0`');
  });
});

describe('isConfigError', () => {
  it('tells configuration errors from other errors of the library', () => {
    expect(isConfigError(new ConfigError('x', { path: [] }))).toBe(true);
    expect(isConfigError(new SinkError('x', { sink: 'memory' }))).toBe(false);
    expect(isConfigError(new Error('x'))).toBe(false);
    expect(isConfigError(Object.assign(new Error('x'), { code: 'ERR_CONFIG' }))).toBe(false);
  });

  it('recognises a ConfigError from a second copy of the package', async () => {
    vi.resetModules();
    const copy = await import('../../src/errors/config-error.js');
    expect(copy.ConfigError).not.toBe(ConfigError);
    const foreign = new copy.ConfigError('bad', { path: ['weights'], value: 2 });
    expect(foreign instanceof ConfigError).toBe(false);
    expect(isConfigError(foreign)).toBe(true);
    expect(isMarketDataError(foreign)).toBe(true);
  });

  it('recognises a plain object carrying the registered brand and the ERR_CONFIG code', () => {
    expect(isConfigError({ [Symbol.for('market-data-pipeline.error')]: true, code: 'ERR_CONFIG' })).toBe(true);
    expect(isConfigError({ [Symbol.for('market-data-pipeline.error')]: true, code: 'ERR_SINK' })).toBe(false);
  });
});
