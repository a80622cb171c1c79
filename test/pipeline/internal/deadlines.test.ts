import { getEventListeners } from 'node:events';
import { setTimeout as tick } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { Deadlines } from '../../../src/pipeline/internal/deadlines.js';
import { ManualClock } from '../../../src/testing/index.js';

const timeout = (): Error => new Error('timed out');
/** An operation that never answers and records whether its signal aborted. */
function hang(seen: { aborted?: unknown }): (signal: () => AbortSignal) => Promise<never> {
  return (signalOf) =>
    new Promise<never>(() => {
      const signal = signalOf();
      signal.addEventListener(
        'abort',
        () => {
          seen.aborted = signal.reason;
        },
        { once: true },
      );
    });
}

describe('Deadlines', () => {
  it('resolves with the task result and leaves no timer or listener once idle', async () => {
    const clock = new ManualClock(0);
    const deadlines = new Deadlines(clock);
    const outer = new AbortController();
    await expect(deadlines.run(1000, outer.signal, timeout, () => Promise.resolve(7))).resolves.toBe(7);
    await expect(deadlines.run(1000, outer.signal, timeout, () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    await tick(5);
    expect(clock.pending).toBe(0);
    expect(getEventListeners(outer.signal, 'abort')).toHaveLength(0);
  });

  it('times out a task that does not answer: rejects with the reason and aborts its signal', async () => {
    const clock = new ManualClock(0);
    const deadlines = new Deadlines(clock);
    const seen: { aborted?: unknown } = {};
    const result = deadlines.run(1000, undefined, timeout, hang(seen));
    let settled = false;
    result.catch(() => undefined).finally(() => (settled = true));
    await clock.advance(999);
    expect(settled).toBe(false);
    await clock.advance(1);
    await expect(result).rejects.toThrow('timed out');
    expect(seen.aborted).toBeInstanceOf(Error);
  });

  it('gives each task its own limit while one watchdog covers them all', async () => {
    const clock = new ManualClock(0);
    const deadlines = new Deadlines(clock);
    const first = deadlines.run(1000, undefined, timeout, hang({}));
    first.catch(() => undefined);
    await clock.advance(600);
    const second = deadlines.run(1000, undefined, timeout, hang({}));
    second.catch(() => undefined);
    // A shorter limit started later but due earlier than the armed watchdog.
    const third = deadlines.run(100, undefined, timeout, hang({}));
    third.catch(() => undefined);
    const order: string[] = [];
    void first.catch(() => order.push('first'));
    void second.catch(() => order.push('second'));
    void third.catch(() => order.push('third'));
    await clock.advance(100);
    expect(order).toEqual(['third']);
    await clock.advance(300);
    expect(order).toEqual(['third', 'first']);
    await clock.advance(599);
    expect(order).toEqual(['third', 'first']);
    await clock.advance(1);
    expect(order).toEqual(['third', 'first', 'second']);
    await tick(5);
    expect(clock.pending).toBe(0);
  });

  it('aborts every task of a caller signal with its reason, and only those', async () => {
    const clock = new ManualClock(0);
    const deadlines = new Deadlines(clock);
    const outer = new AbortController();
    const seen: { aborted?: unknown } = {};
    const mine = deadlines.run(1000, outer.signal, timeout, hang(seen));
    const other = deadlines.run(1000, undefined, timeout, () => Promise.resolve('kept'));
    outer.abort(new Error('stopped'));
    await expect(mine).rejects.toThrow('stopped');
    expect(seen.aborted).toEqual(new Error('stopped'));
    await expect(other).resolves.toBe('kept');
    await expect(deadlines.run(1000, outer.signal, timeout, () => Promise.resolve(1))).rejects.toThrow('stopped');
  });

  it('close() cancels the watchdog at once', async () => {
    const clock = new ManualClock(0);
    const deadlines = new Deadlines(clock);
    await deadlines.run(1000, undefined, timeout, () => Promise.resolve(1));
    expect(clock.pending).toBe(1);
    deadlines.close();
    await Promise.resolve();
    expect(clock.pending).toBe(0);
  });

  it("removes a caller signal's listener once its operations settled, while other operations are still in flight", async () => {
    const clock = new ManualClock(0);
    const deadlines = new Deadlines(clock);
    const long = deadlines.run(60_000, undefined, timeout, hang({}));
    long.catch(() => undefined);
    const outer = new AbortController();
    await expect(deadlines.run(1000, outer.signal, timeout, () => Promise.resolve(1))).resolves.toBe(1);
    await tick(5);
    expect(getEventListeners(outer.signal, 'abort')).toHaveLength(0);
    // The operation still in flight keeps its time limit.
    await clock.advance(60_000);
    await expect(long).rejects.toThrow('timed out');
  });

  it('close() keeps the time limit and the caller signal of an operation still in flight', async () => {
    const clock = new ManualClock(0);
    const deadlines = new Deadlines(clock);
    const outer = new AbortController();
    const outcomes: string[] = [];
    void deadlines.run(1000, undefined, timeout, hang({})).catch((error: Error) => outcomes.push(error.message));
    void deadlines.run(60_000, outer.signal, timeout, hang({})).catch((error: Error) => outcomes.push(error.message));
    deadlines.close();
    await clock.advance(1000);
    expect(outcomes).toEqual(['timed out']);
    outer.abort(new Error('stopped'));
    await tick(0);
    expect(outcomes).toEqual(['timed out', 'stopped']);
    // Nothing is in flight any more: nothing is left behind.
    await tick(5);
    expect(clock.pending).toBe(0);
    expect(getEventListeners(outer.signal, 'abort')).toHaveLength(0);
  });

  it('turns a task that throws synchronously into a rejection', async () => {
    const deadlines = new Deadlines(new ManualClock(0));
    await expect(
      deadlines.run(1000, undefined, timeout, () => {
        throw new Error('sync');
      }),
    ).rejects.toThrow('sync');
  });
});
