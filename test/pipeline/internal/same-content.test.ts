import { describe, expect, it } from 'vitest';
import { sameContent } from '../../../src/pipeline/internal/same-content.js';

describe('sameContent (documents compared as JSON, their updated_at aside)', () => {
  it('agrees with comparing the JSON of the two without updated_at', () => {
    const base = { updated_at: 'a', symbol: 'BTCUSD', derived: { atr: 1.5, daily: null }, list: [{ x: 1 }, 2, 'z'] };
    const cases: object[] = [
      { ...base, updated_at: 'b' },
      { ...base, derived: { atr: 1.5, daily: 0 } },
      { ...base, list: [{ x: 1 }, 2] },
      { ...base, list: [{ x: 1 }, 2, 'z'], extra: undefined },
      { ...base, extra: null },
      { symbol: 'BTCUSD', derived: { atr: 1.5, daily: null }, list: [{ x: 1 }, 2, 'z'] },
      { ...base, derived: { daily: null, atr: 1.5 } },
      { ...base, list: { 0: { x: 1 }, 1: 2, 2: 'z' } },
    ];
    const json = (o: object): string =>
      JSON.stringify({ ...o, updated_at: undefined }, (_k, v: unknown) =>
        v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort()) : v,
      );
    for (const other of cases) expect(sameContent(base, other), JSON.stringify(other)).toBe(json(base) === json(other));
  });
});
