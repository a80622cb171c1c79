import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../src/pipeline/system-clock.js';

describe('systemClock', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: Date.UTC(2025, 0, 30, 10, 30) });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reads Date.now()', () => {
    expect(systemClock.now()).toBe(Date.UTC(2025, 0, 30, 10, 30));
  });

  it('resolves after the given milliseconds', async () => {
    let done = false;
    const slept = systemClock.sleep(1_000).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await slept;
    expect(done).toBe(true);
  });

  it('waits longer than setTimeout allows without firing early', async () => {
    const thirtyDays = 30 * 86_400_000; // above 2^31 - 1 ms
    let done = false;
    const slept = systemClock.sleep(thirtyDays).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(thirtyDays - 1);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await slept;
    expect(done).toBe(true);
  });

  it('rejects with signal.reason on abort and clears its timer', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    const slept = systemClock.sleep(5_000, controller.signal);
    controller.abort(reason);
    await expect(slept).rejects.toBe(reason);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const reason = new Error('already');
    await expect(systemClock.sleep(10, AbortSignal.abort(reason))).rejects.toBe(reason);
    expect(vi.getTimerCount()).toBe(0);
  });
});
