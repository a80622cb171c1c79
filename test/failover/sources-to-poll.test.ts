import { describe, expect, it } from 'vitest';
import { initialFeedState } from '../../src/failover/initial-feed-state.js';
import { sourcesToPoll } from '../../src/failover/sources-to-poll.js';
import { fail, finalState, runScript, tick } from './feed-script.js';

// The specification's ladder (DESIGN.md §6): detect (30 s timeout) → retry after 5 s → backup
// within 10 s → cached data → halt. Each state names where the data comes from.
describe('sourcesToPoll', () => {
  it('asks only the primary while the feed is healthy', () => {
    expect(sourcesToPoll(initialFeedState())).toEqual(['primary']);
  });

  it('asks nothing between detection and the retry 5 s later, then the primary for the retry', () => {
    const detected = finalState(runScript([{ at: 30_000, event: fail('primary', 'timeout') }]));
    expect(detected.kind).toBe('detected');
    expect(sourcesToPoll(detected)).toEqual([]);
    const retrying = finalState(
      runScript([
        { at: 30_000, event: fail('primary', 'timeout') },
        { at: 35_000, event: tick },
      ]),
    );
    expect(retrying.kind).toBe('retrying');
    expect(sourcesToPoll(retrying)).toEqual(['primary']);
  });

  it('asks the backup first once failed over, and the primary too so it can prove itself', () => {
    const state = finalState(
      runScript([
        { at: 30_000, event: fail('primary', 'timeout') },
        { at: 35_000, event: tick },
        { at: 45_000, event: tick },
      ]),
    );
    expect(state.kind).toBe('on_backup');
    expect(sourcesToPoll(state)).toEqual(['backup', 'primary']);
  });

  it('asks both, primary first, while serving cached data and once halted', () => {
    const cached = finalState(
      runScript([
        { at: 30_000, event: fail('primary', 'timeout') },
        { at: 35_000, event: tick },
        { at: 45_000, event: tick },
        { at: 50_000, event: fail('backup', 'timeout') },
      ]),
    );
    expect(cached.kind).toBe('cached');
    expect(sourcesToPoll(cached)).toEqual(['primary', 'backup']);
    const halted = finalState(
      runScript([
        { at: 30_000, event: fail('primary', 'timeout') },
        { at: 35_000, event: tick },
        { at: 45_000, event: tick },
        { at: 50_000, event: fail('backup', 'timeout') },
        { at: 110_000, event: tick },
      ]),
    );
    expect(halted.kind).toBe('halted');
    expect(sourcesToPoll(halted)).toEqual(['primary', 'backup']);
  });
});
