import { describe, expect, it } from 'vitest';
import { isConfigError } from '../../src/errors/config-error.js';
import { ManualClock } from '../../src/testing/manual-clock.js';

describe('ManualClock', () => {
  it('starts at the given time and moves only when advanced', async () => {
    const clock = new ManualClock(1_000);
    expect(clock.now()).toBe(1_000);
    await clock.advance(250);
    expect(clock.now()).toBe(1_250);
    expect(new ManualClock().now()).toBe(Date.UTC(2025, 0, 1));
  });

  it('fires timers in due order, ties in scheduling order, each at its due time', async () => {
    const clock = new ManualClock(0);
    const fired: [string, number][] = [];
    const at = (name: string, ms: number): void => {
      void clock.sleep(ms).then(() => fired.push([name, clock.now()]));
    };
    at('c', 300);
    at('a', 100);
    at('b1', 200);
    at('b2', 200);
    at('late', 1_000);
    await clock.advance(500);
    expect(fired).toEqual([
      ['a', 100],
      ['b1', 200],
      ['b2', 200],
      ['c', 300],
    ]);
    expect(clock.now()).toBe(500);
    expect(clock.pending).toBe(1);
    await clock.advanceTo(1_000);
    expect(fired.at(-1)).toEqual(['late', 1_000]);
    expect(clock.pending).toBe(0);
  });

  it('fires sleeps scheduled by continuations within the same advance', async () => {
    const clock = new ManualClock(0);
    const ticks: number[] = [];
    const loop = async (): Promise<void> => {
      for (let i = 0; i < 5; i++) {
        await clock.sleep(100);
        ticks.push(clock.now());
      }
    };
    const done = loop();
    await clock.advance(350);
    expect(ticks).toEqual([100, 200, 300]);
    await clock.advance(1_000);
    await done;
    expect(ticks).toEqual([100, 200, 300, 400, 500]);
  });

  it('resolves a sleep of 0 ms at once', async () => {
    const clock = new ManualClock(0);
    await clock.sleep(0);
    expect(clock.pending).toBe(0);
  });

  it('rejects with signal.reason when aborted, and drops the timer', async () => {
    const clock = new ManualClock(0);
    const controller = new AbortController();
    const reason = new Error('stop');
    const slept = clock.sleep(1_000, controller.signal);
    expect(clock.pending).toBe(1);
    controller.abort(reason);
    await expect(slept).rejects.toBe(reason);
    expect(clock.pending).toBe(0);
  });

  it('rejects at once with signal.reason when the signal is already aborted', async () => {
    const clock = new ManualClock(0);
    const reason = new Error('already');
    await expect(clock.sleep(10, AbortSignal.abort(reason))).rejects.toBe(reason);
    expect(clock.pending).toBe(0);
  });

  it('ignores an abort after the timer fired', async () => {
    const clock = new ManualClock(0);
    const controller = new AbortController();
    const slept = clock.sleep(10, controller.signal);
    await clock.advance(10);
    controller.abort(new Error('late'));
    await expect(slept).resolves.toBeUndefined();
  });

  it('refuses to move backwards or by a non-finite amount', async () => {
    const clock = new ManualClock(100);
    await expect(clock.advanceTo(50)).rejects.toSatisfy(isConfigError);
    await expect(clock.advance(-1)).rejects.toSatisfy(isConfigError);
    await expect(clock.advance(Number.NaN)).rejects.toSatisfy(isConfigError);
    expect(clock.now()).toBe(100);
  });
});
