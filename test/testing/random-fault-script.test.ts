import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/testing/manual-clock.js';
import { randomFaultScript } from '../../src/testing/random-fault-script.js';
import { SimulatedSource } from '../../src/testing/simulated-source.js';

const T0 = Date.UTC(2025, 0, 1);

describe('randomFaultScript', () => {
  const options = { start: T0, end: T0 + 6 * 3_600_000 };

  it('gives the same script for the same seed and another for another seed', () => {
    expect(randomFaultScript({ seed: 3, ...options })).toEqual(randomFaultScript({ seed: 3, ...options }));
    expect(randomFaultScript({ seed: 3, ...options })).not.toEqual(randomFaultScript({ seed: 4, ...options }));
  });

  it('draws valid, bounded steps sorted by start', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 0, max: 20 }), (seed, steps) => {
        const script = randomFaultScript({
          seed,
          steps,
          ...options,
          symbols: ['BTCUSD', 'ETHUSD'],
          maxOutageMs: 120_000,
          maxLatencyMs: 2_000,
        });
        expect(script).toHaveLength(steps);
        // a SimulatedSource accepts every script
        new SimulatedSource({ clock: new ManualClock(T0), symbols: ['BTCUSD'], generate: { count: 1 }, faults: script });
        let previous = -Infinity;
        for (const step of script) {
          const from = step.from as number;
          expect(from).toBeGreaterThanOrEqual(previous);
          expect(from).toBeGreaterThanOrEqual(options.start);
          expect(from).toBeLessThan(options.end);
          previous = from;
          if (step.kind === 'outage' || step.kind === 'banned') {
            expect(step.durationMs).toBeGreaterThanOrEqual(1000);
            expect(step.durationMs).toBeLessThanOrEqual(120_000);
          } else {
            expect(step.times).toBeGreaterThanOrEqual(1);
            expect(step.times).toBeLessThanOrEqual(3);
          }
          if (step.kind === 'latency') expect(step.ms).toBeLessThanOrEqual(2_000);
          if (step.symbols !== undefined) expect(step.symbols).toHaveLength(1);
        }
      }),
    );
  });

  it('draws only the kinds asked for', () => {
    const script = randomFaultScript({ seed: 1, steps: 50, ...options, kinds: ['outage', 'latency'] });
    expect(new Set(script.map((s) => s.kind))).toEqual(new Set(['outage', 'latency']));
  });

  it('rejects invalid options with a ConfigError', () => {
    expect(() => randomFaultScript({ seed: 1, start: T0, end: T0 })).toThrow('`end`');
    expect(() => randomFaultScript({ seed: 1.5, ...options })).toThrow('`seed`');
    expect(() => randomFaultScript({ seed: 1, ...options, kinds: [] })).toThrow('`kinds`');
    expect(() => randomFaultScript({ seed: 1, ...options, maxOutageMs: 10 })).toThrow('`maxOutageMs`');
  });
});
