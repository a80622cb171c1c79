import { describe, expect, it } from 'vitest';
import { currentSession } from '../../src/context/current-session.js';
import type { SessionWindow } from '../../src/context/session-window.js';
import type { SessionName } from '../../src/context/default-sessions.js';

const at = (iso: string): number => Date.parse(iso);
const withSessions = (now: number, sessions: readonly SessionWindow<SessionName>[]) => currentSession(now, { sessions });

describe('a session that crosses local midnight (22:00 to 02:00 UTC, opening Monday to Friday)', () => {
  const overnight: SessionWindow<SessionName>[] = [{ name: 'asia', timeZone: 'UTC', start: '22:00', end: '02:00' }];

  it('is open from its first minute, Tuesday 22:00, and closes Wednesday 02:00', () => {
    expect(withSessions(at('2025-01-28T22:00:00Z'), overnight)).toMatchObject({
      current: 'asia',
      minutesIntoSession: 0,
      sessionOpen: at('2025-01-28T22:00:00Z'),
      sessionClose: at('2025-01-29T02:00:00Z'),
      active: ['asia'],
    });
  });

  it('is not open the minute before it opens', () => {
    expect(withSessions(at('2025-01-28T21:59:00Z'), overnight).current).toBe('off_session');
  });

  it('is still open after midnight, in its last minute, as the occurrence opened the day before', () => {
    expect(withSessions(at('2025-01-29T01:59:00Z'), overnight)).toMatchObject({
      current: 'asia',
      minutesIntoSession: 3 * 60 + 59,
      sessionOpen: at('2025-01-28T22:00:00Z'),
      sessionClose: at('2025-01-29T02:00:00Z'),
    });
  });

  it('is closed at its end, 02:00, and between its end and its next start', () => {
    expect(withSessions(at('2025-01-29T02:00:00Z'), overnight).current).toBe('off_session');
    expect(withSessions(at('2025-01-29T03:00:00Z'), overnight).current).toBe('off_session');
    expect(withSessions(at('2025-01-29T21:59:00Z'), overnight).current).toBe('off_session');
  });
});

describe('overlapping sessions', () => {
  // Tuesday 2025-01-28, winter: London is UTC+0, New York UTC−5.
  const london: SessionWindow<SessionName> = { name: 'london', timeZone: 'Europe/London', start: '08:00', end: '17:00' };
  const newYork: SessionWindow<SessionName> = { name: 'new_york', timeZone: 'America/New_York', start: '08:00', end: '17:00' };

  it('lists the open sessions earliest opening first, whatever their order in the list', () => {
    // London opened at 08:00Z, New York at 13:00Z.
    for (const list of [
      [london, newYork],
      [newYork, london],
    ]) {
      expect(withSessions(at('2025-01-28T14:00:00Z'), list)).toMatchObject({
        current: 'new_york',
        minutesIntoSession: 60,
        active: ['london', 'new_york'],
      });
    }
  });

  it('gives equal openings to the earlier in the list, and lists them in list order', () => {
    // Both open at 08:00 London time (08:00Z); the second closes earlier.
    const a: SessionWindow<SessionName> = { name: 'london', timeZone: 'Europe/London', start: '08:00', end: '17:00' };
    const b: SessionWindow<SessionName> = { name: 'new_york', timeZone: 'Europe/London', start: '08:00', end: '12:00' };
    expect(withSessions(at('2025-01-28T09:00:00Z'), [a, b])).toMatchObject({
      current: 'london',
      sessionClose: at('2025-01-28T17:00:00Z'),
      active: ['london', 'new_york'],
    });
    expect(withSessions(at('2025-01-28T09:00:00Z'), [b, a])).toMatchObject({
      current: 'new_york',
      sessionClose: at('2025-01-28T12:00:00Z'),
      active: ['new_york', 'london'],
    });
  });

  it('names the most recently opened killzone, and the earlier in the list on a tie', () => {
    const early = { name: 'early', timeZone: 'UTC', start: '07:00', end: '12:00' };
    const late = { name: 'late', timeZone: 'UTC', start: '09:00', end: '12:00' };
    const twin = { name: 'twin', timeZone: 'UTC', start: '09:00', end: '10:00' };
    const now = at('2025-01-28T09:30:00Z');
    expect(currentSession(now, { killzones: [late, early] }).killzone).toBe('late');
    expect(currentSession(now, { killzones: [early, late, twin] }).killzone).toBe('late');
    expect(currentSession(now, { killzones: [early, twin, late] }).killzone).toBe('twin');
  });
});

describe('a session opening in the hour that the autumn change repeats', () => {
  // Europe/London, Sunday 2025-10-26: 02:00 BST (01:00Z) becomes 01:00 GMT. The wall time 01:30
  // happens twice, at 00:30Z and at 01:30Z; the documented choice is the earlier instant.
  const sunday: SessionWindow<SessionName>[] = [{ name: 'london', timeZone: 'Europe/London', start: '01:30', end: '03:00', days: [7] }];

  it('opens at the first 01:30 (00:30Z) and closes at 03:00 GMT (03:00Z)', () => {
    expect(withSessions(at('2025-10-26T02:30:00Z'), sunday)).toMatchObject({
      current: 'london',
      minutesIntoSession: 120,
      sessionOpen: at('2025-10-26T00:30:00Z'),
      sessionClose: at('2025-10-26T03:00:00Z'),
    });
  });
});
