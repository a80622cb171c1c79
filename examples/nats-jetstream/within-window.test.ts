import { describe, expect, it } from 'vitest';
import { withinWindow } from './within-window.js';

describe('withinWindow', () => {
  it('starts no task after the first failure', async () => {
    const started: number[] = [];
    // Two lanes; task 2 fails. By then tasks 0–3 have started (lane A: 0, 2; lane B: 1, 3), so
    // 4–9 must never start.
    const tasks = Array.from({ length: 10 }, (_, i) => async (): Promise<number> => {
      started.push(i);
      await Promise.resolve();
      if (i === 2) throw new Error('publish failed');
      return i;
    });
    await expect(withinWindow(tasks, 2)).rejects.toThrow('publish failed');
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(started).toEqual([0, 1, 2, 3]);
  });

  it('returns every result in the tasks’ order when none fails', async () => {
    const tasks = [30, 10, 20].map((ms, i) => () => new Promise<number>((resolve) => setTimeout(() => resolve(i), ms)));
    expect(await withinWindow(tasks, 2)).toEqual([0, 1, 2]);
  });
});
