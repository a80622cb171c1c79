import { describe, expect, it } from 'vitest';
import { classifyGap } from '../../src/gaps/classify-gap.js';
import { isConfigError } from '../../src/errors/config-error.js';

describe('classifyGap', () => {
  it('uses the specification classes: 1–3 small, 4–10 medium, more large', () => {
    expect([1, 3, 4, 10, 11, 500].map((n) => classifyGap(n))).toEqual(['small', 'small', 'medium', 'medium', 'large', 'large']);
  });

  it('accepts a partial override', () => {
    expect(classifyGap(3, { smallMaxBars: 2 })).toBe('medium');
    expect(classifyGap(11, { mediumMaxBars: 20 })).toBe('medium');
    expect(classifyGap(1, { smallMaxBars: 0 })).toBe('medium');
  });

  it('throws ConfigError naming the path and value of an invalid override', () => {
    const attempts = [{ smallMaxBars: -1 }, { smallMaxBars: 1.5 }, { smallMaxBars: 12 }, { extra: 1 }];
    for (const strategies of attempts) {
      let caught: unknown;
      try {
        classifyGap(1, strategies);
      } catch (error) {
        caught = error;
      }
      expect(isConfigError(caught)).toBe(true);
    }
    expect(() => classifyGap(1, { smallMaxBars: -1 })).toThrow(/smallMaxBars.*-1/);
  });
});
