import { describe, expect, it } from 'vitest';
import { StreamQueue } from './stream-queue.js';

describe('StreamQueue', () => {
  it('answers every pending next() in order, a second one included', async () => {
    const queue = new StreamQueue<number>(
      10,
      () => undefined,
      () => new Error('overflow'),
    );
    const first = queue.next();
    const second = queue.next();
    queue.push(1);
    queue.push(2);
    const third = queue.next();
    queue.end();
    // Bounded: a next() left unanswered must fail the test, not hang it.
    const deadline = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('a next() never settled')), 2000).unref());
    expect(await Promise.race([Promise.all([first, second, third]), deadline])).toEqual([
      { value: 1, done: false },
      { value: 2, done: false },
      { value: undefined, done: true },
    ]);
  });
});
