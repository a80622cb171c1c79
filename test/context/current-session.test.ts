import { describe, expect, it } from 'vitest';
import { currentSession } from '../../src/context/current-session.js';
import { DEFAULT_KILLZONES, DEFAULT_SESSIONS, ICT_KILLZONES } from '../../src/context/default-sessions.js';
import type { SessionWindow } from '../../src/context/session-window.js';
import { isConfigError } from '../../src/errors/config-error.js';

const MINUTE = 60_000;
const ALL_DAYS = [1, 2, 3, 4, 5, 6, 7] as const;
const everyDay = <N extends string>(windows: readonly SessionWindow<N>[]): SessionWindow<N>[] =>
  windows.map((w) => ({ ...w, days: ALL_DAYS }));

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Minutes past local midnight that `Intl` (the runtime's IANA data, independent of our code) reads in `timeZone`. */
function localMinute(instant: number, timeZone: string): number {
  let format = formatters.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, format);
  }
  const parts = format.formatToParts(instant);
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
  return get('hour') * 60 + get('minute');
}

const toMinute = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

describe('currentSession', () => {
  it('gives the specification example: London, 150 minutes in, killzone active', () => {
    const state = currentSession(Date.parse('2025-01-30T10:30:00Z'));
    expect(state.current).toBe('london');
    expect(state.minutesIntoSession).toBe(150);
    expect(state.killzoneActive).toBe(true);
    expect(state.killzone).toBe('london_open');
    expect(state.sessionOpen).toBe(Date.parse('2025-01-30T08:00:00Z'));
    expect(state.sessionClose).toBe(Date.parse('2025-01-30T17:00:00Z'));
  });

  it('gives the overlap to the session that opened last', () => {
    // Winter: London 08:00–17:00Z, New York 13:00–22:00Z, Tokyo 00:00–09:00Z.
    const ny = currentSession(Date.parse('2025-01-30T14:00:00Z'));
    expect(ny).toMatchObject({ current: 'new_york', minutesIntoSession: 60, active: ['london', 'new_york'] });
    const london = currentSession(Date.parse('2025-01-30T08:30:00Z'));
    expect(london).toMatchObject({ current: 'london', minutesIntoSession: 30, active: ['asia', 'london'] });
  });

  it('says off_session outside every session, with no minutes', () => {
    const state = currentSession(Date.parse('2025-01-30T22:30:00Z'));
    expect(state).toMatchObject({ current: 'off_session', minutesIntoSession: null, active: [], killzoneActive: false, killzone: null });
  });

  it('opens no default session on a weekend unless every day is allowed', () => {
    const saturday = Date.parse('2025-02-01T10:30:00Z');
    expect(currentSession(saturday).current).toBe('off_session');
    expect(currentSession(saturday, { sessions: everyDay(DEFAULT_SESSIONS) }).current).toBe('london');
    // Monday 09:00 in Tokyo is Sunday 24:00 UTC: Asia opens then.
    expect(currentSession(Date.parse('2025-02-02T23:59:00Z')).current).toBe('off_session');
    expect(currentSession(Date.parse('2025-02-03T00:00:00Z')).current).toBe('asia');
  });

  it('follows each city clock through the weeks London and New York are four hours apart', () => {
    const cases: [string, string, string][] = [
      // [UTC day, London opens (UTC), New York opens (UTC)]
      ['2024-03-08', '08:00', '13:00'], // both on winter time
      ['2024-03-11', '08:00', '12:00'], // US on summer time (since 10 March), UK not yet
      ['2024-04-01', '07:00', '12:00'], // both on summer time (UK since 31 March)
      ['2024-10-28', '08:00', '12:00'], // UK back on winter time (27 October), US not yet
      ['2024-11-04', '08:00', '13:00'], // both on winter time (US since 3 November)
      ['2025-03-10', '08:00', '12:00'],
      ['2025-03-31', '07:00', '12:00'],
      ['2025-10-27', '08:00', '12:00'],
      ['2025-11-03', '08:00', '13:00'],
    ];
    for (const [day, londonOpen, nyOpen] of cases) {
      const london = Date.parse(`${day}T${londonOpen}:00Z`);
      const ny = Date.parse(`${day}T${nyOpen}:00Z`);
      expect(currentSession(london - MINUTE).active, day).not.toContain('london');
      expect(currentSession(london), day).toMatchObject({ current: 'london', minutesIntoSession: 0 });
      expect(currentSession(ny - MINUTE).current, day).toBe('london');
      expect(currentSession(ny), day).toMatchObject({ current: 'new_york', minutesIntoSession: 0 });
      expect(currentSession(ny + 59 * MINUTE).minutesIntoSession, day).toBe(59);
    }
  });

  // Every 5 minutes of each switch day and the day either side (every window boundary is a
  // multiple of 5 minutes) checked against Intl's reading of the zone's wall clock: a session is open exactly while its clock reads [start, end),
  // `current` is the one whose open run began last, and minutes count from that run's start.
  const switchDays = [
    '2024-03-10',
    '2024-03-31',
    '2024-10-27',
    '2024-11-03', // US spring, EU spring, EU autumn, US autumn
    '2025-03-09',
    '2025-03-30',
    '2025-10-26',
    '2025-11-02',
  ];
  const windowSets: [
    string,
    readonly SessionWindow[],
    (now: number) => { active: readonly string[]; current: string | null; minutes: number | null },
  ][] = [
    [
      'sessions',
      everyDay(DEFAULT_SESSIONS),
      (now) => {
        const s = currentSession(now, { sessions: everyDay(DEFAULT_SESSIONS) });
        return { active: s.active, current: s.current === 'off_session' ? null : s.current, minutes: s.minutesIntoSession };
      },
    ],
    [
      'killzones',
      everyDay(DEFAULT_KILLZONES),
      (now) => {
        const s = currentSession(now, { killzones: everyDay(DEFAULT_KILLZONES) });
        return { active: s.killzone === null ? [] : [s.killzone], current: s.killzone, minutes: null };
      },
    ],
  ];
  for (const [label, windows, read] of windowSets) {
    it.each(switchDays)(`matches Intl every 5 minutes around %s (${label})`, (day) => {
      const from = Date.parse(`${day}T00:00:00Z`) - 86_400_000;
      const runStart = new Map<string, number>();
      for (let t = from; t < from + 3 * 86_400_000; t += 5 * MINUTE) {
        const open = windows.filter((w) => {
          const m = localMinute(t, w.timeZone);
          return m >= toMinute(w.start) && m < toMinute(w.end);
        });
        for (const w of windows) {
          if (!open.includes(w)) runStart.delete(w.name);
          else if (!runStart.has(w.name)) runStart.set(w.name, t);
        }
        const expectedCurrent = [...open].sort((a, b) => (runStart.get(b.name) ?? 0) - (runStart.get(a.name) ?? 0))[0];
        const got = read(t);
        if (label === 'sessions') {
          expect(new Set(got.active), new Date(t).toISOString()).toEqual(new Set(open.map((w) => w.name)));
          expect(got.current, new Date(t).toISOString()).toBe(expectedCurrent?.name ?? null);
          if (expectedCurrent !== undefined && runStart.get(expectedCurrent.name) !== from) {
            expect(got.minutes, new Date(t).toISOString()).toBe((t - (runStart.get(expectedCurrent.name) ?? NaN)) / MINUTE);
          }
        } else {
          expect(got.current, new Date(t).toISOString()).toBe(expectedCurrent?.name ?? null);
        }
      }
    });
  }

  it('counts real minutes across a clock change inside a session', () => {
    const overnight: SessionWindow<'asia'>[] = [
      { name: 'asia', timeZone: 'America/New_York', start: '00:00', end: '06:00', days: ALL_DAYS },
    ];
    // Spring 2025-03-09: opens 00:00 EST = 05:00Z; the clocks jump 02:00 EST → 03:00 EDT at
    // 07:00Z; it closes 06:00 EDT = 10:00Z, after 5 real hours.
    const spring = Date.parse('2025-03-09T09:59:00Z');
    expect(localMinute(spring, 'America/New_York')).toBe(5 * 60 + 59);
    expect(currentSession(spring, { sessions: overnight })).toMatchObject({ current: 'asia', minutesIntoSession: 299 });
    expect(currentSession(spring + MINUTE, { sessions: overnight }).current).toBe('off_session');
    // Autumn 2025-11-02: opens 00:00 EDT = 04:00Z; 02:00 EDT → 01:00 EST at 06:00Z; closes
    // 06:00 EST = 11:00Z, after 7 real hours.
    const autumn = Date.parse('2025-11-02T10:59:00Z');
    expect(currentSession(autumn, { sessions: overnight })).toMatchObject({ current: 'asia', minutesIntoSession: 419 });
    expect(currentSession(autumn, { sessions: overnight }).sessionClose).toBe(Date.parse('2025-11-02T11:00:00Z'));
  });

  it('opens a window whose start the clocks skip at the jump', () => {
    const skipped: SessionWindow<'london'>[] = [
      { name: 'london', timeZone: 'America/New_York', start: '02:30', end: '05:00', days: ALL_DAYS },
    ];
    // 2025-03-09 02:00 EST (07:00Z) becomes 03:00 EDT; 02:30 never happens.
    expect(currentSession(Date.parse('2025-03-09T06:59:00Z'), { sessions: skipped }).current).toBe('off_session');
    expect(currentSession(Date.parse('2025-03-09T07:10:00Z'), { sessions: skipped })).toMatchObject({
      current: 'london',
      minutesIntoSession: 10,
      sessionOpen: Date.parse('2025-03-09T07:00:00Z'),
    });
  });

  it('spans midnight when the end is before the start, judging the day by the opening', () => {
    const late: SessionWindow<'asia'>[] = [{ name: 'asia', timeZone: 'UTC', start: '22:00', end: '02:00', days: [5] }];
    // Opens Friday 2025-01-31 22:00Z and runs into Saturday.
    expect(currentSession(Date.parse('2025-02-01T01:00:00Z'), { sessions: late })).toMatchObject({
      current: 'asia',
      minutesIntoSession: 180,
    });
    expect(currentSession(Date.parse('2025-02-01T23:00:00Z'), { sessions: late }).current).toBe('off_session');
    expect(currentSession(Date.parse('2025-01-31T01:00:00Z'), { sessions: late }).current).toBe('off_session');
  });

  it('reads ICT killzones on the New York clock', () => {
    // 2025-01-30 07:30Z = 02:30 EST; 10:30Z = 05:30 EST (no ICT killzone, unlike the defaults).
    expect(currentSession(Date.parse('2025-01-30T07:30:00Z'), { killzones: ICT_KILLZONES }).killzone).toBe('london_open');
    expect(currentSession(Date.parse('2025-01-30T10:30:00Z'), { killzones: ICT_KILLZONES }).killzoneActive).toBe(false);
    // 2025-03-10: New York on EDT, London not: ICT London open 02:00 EDT = 06:00Z = 06:00 London.
    expect(currentSession(Date.parse('2025-03-10T06:00:00Z'), { killzones: ICT_KILLZONES }).killzone).toBe('london_open');
    expect(currentSession(Date.parse('2025-03-10T05:59:00Z'), { killzones: ICT_KILLZONES }).killzone).toBe(null);
    // Asian killzone opens Sunday 20:00 EST = Monday 01:00Z.
    expect(currentSession(Date.parse('2025-02-03T01:30:00Z'), { killzones: ICT_KILLZONES }).killzone).toBe('asian');
    expect(currentSession(Date.parse('2025-02-03T00:30:00Z'), { killzones: ICT_KILLZONES }).killzone).toBe(null);
  });

  it('does not modify its options', () => {
    const sessions = Object.freeze(DEFAULT_SESSIONS.map((w) => Object.freeze({ ...w })));
    const killzones = Object.freeze(DEFAULT_KILLZONES.map((w) => Object.freeze({ ...w })));
    expect(currentSession(Date.parse('2025-01-30T10:30:00Z'), { sessions, killzones }).current).toBe('london');
  });

  it('throws ConfigError naming the path and value of a bad window', () => {
    const bad = (sessions: unknown, path: string, value: string): void => {
      let error: unknown;
      try {
        currentSession(0, { sessions: sessions as SessionWindow<'london'>[] });
      } catch (e) {
        error = e;
      }
      expect(isConfigError(error)).toBe(true);
      expect((error as Error).message).toContain(path);
      expect((error as Error).message).toContain(value);
    };
    const ok = { name: 'london', timeZone: 'Europe/London', start: '08:00', end: '17:00' };
    bad([{ ...ok, timeZone: 'Europe/Atlantis' }], 'sessions.0.timeZone', 'Europe/Atlantis');
    bad([{ ...ok, start: '8:00' }], 'sessions.0.start', '8:00');
    bad([{ ...ok, start: '24:00' }], 'sessions.0.start', '24:00');
    bad([{ ...ok, end: '25:00' }], 'sessions.0.end', '25:00');
    bad([{ ...ok, end: '08:00' }], 'sessions.0.end', '08:00');
    bad([ok, { ...ok, name: 'sydney' }], 'sessions.1.name', 'sydney');
    bad([{ ...ok, days: [0] }], 'sessions.0.days.0', '0');
    bad([{ ...ok, days: [] }], 'sessions.0.days', '');
    expect(() => currentSession(Number.NaN)).toThrow(/now/);
  });
});

/**
 * The first and last minute of every default session and killzone (issue 25), as literal UTC
 * instants. They come from the documented local hours (Tokyo 09:00–18:00, London and New York
 * 08:00–17:00; each killzone the first three hours of its session) and the clock rules, not
 * from `DEFAULT_SESSIONS` / `DEFAULT_KILLZONES`: Tokyo is UTC+9 all year; London is UTC+0 in
 * winter and UTC+1 from the last Sunday of March to the last Sunday of October; New York is
 * UTC−5 in winter and UTC−4 from the second Sunday of March to the first Sunday of November.
 * So in 2025 the week of Wednesday 12 March has New York on summer time and London not yet.
 */
describe('currentSession at the edges of the default windows', () => {
  interface Edge {
    readonly window: string;
    /** First open minute, UTC. */
    readonly first: string;
    /** Last open minute, UTC (the window closes one minute later). */
    readonly last: string;
  }
  const seasons: Readonly<Record<string, { sessions: readonly Edge[]; killzones: readonly Edge[] }>> = {
    'winter (Wednesday 2025-01-15: JST +9, GMT +0, EST −5)': {
      sessions: [
        { window: 'asia', first: '2025-01-15T00:00Z', last: '2025-01-15T08:59Z' },
        { window: 'london', first: '2025-01-15T08:00Z', last: '2025-01-15T16:59Z' },
        { window: 'new_york', first: '2025-01-15T13:00Z', last: '2025-01-15T21:59Z' },
      ],
      killzones: [
        { window: 'asia_open', first: '2025-01-15T00:00Z', last: '2025-01-15T02:59Z' },
        { window: 'london_open', first: '2025-01-15T08:00Z', last: '2025-01-15T10:59Z' },
        { window: 'new_york_open', first: '2025-01-15T13:00Z', last: '2025-01-15T15:59Z' },
      ],
    },
    'summer (Wednesday 2025-07-16: JST +9, BST +1, EDT −4)': {
      sessions: [
        { window: 'asia', first: '2025-07-16T00:00Z', last: '2025-07-16T08:59Z' },
        { window: 'london', first: '2025-07-16T07:00Z', last: '2025-07-16T15:59Z' },
        { window: 'new_york', first: '2025-07-16T12:00Z', last: '2025-07-16T20:59Z' },
      ],
      killzones: [
        { window: 'asia_open', first: '2025-07-16T00:00Z', last: '2025-07-16T02:59Z' },
        { window: 'london_open', first: '2025-07-16T07:00Z', last: '2025-07-16T09:59Z' },
        { window: 'new_york_open', first: '2025-07-16T12:00Z', last: '2025-07-16T14:59Z' },
      ],
    },
    'the March gap (Wednesday 2025-03-12: JST +9, GMT +0, EDT −4)': {
      sessions: [
        { window: 'asia', first: '2025-03-12T00:00Z', last: '2025-03-12T08:59Z' },
        { window: 'london', first: '2025-03-12T08:00Z', last: '2025-03-12T16:59Z' },
        { window: 'new_york', first: '2025-03-12T12:00Z', last: '2025-03-12T20:59Z' },
      ],
      killzones: [
        { window: 'asia_open', first: '2025-03-12T00:00Z', last: '2025-03-12T02:59Z' },
        { window: 'london_open', first: '2025-03-12T08:00Z', last: '2025-03-12T10:59Z' },
        { window: 'new_york_open', first: '2025-03-12T12:00Z', last: '2025-03-12T14:59Z' },
      ],
    },
  };

  for (const [season, { sessions, killzones }] of Object.entries(seasons)) {
    describe(season, () => {
      for (const { window, first, last } of sessions) {
        it(`${window} is open from ${first} to ${last} and closed the minute either side`, () => {
          const open = Date.parse(first);
          const lastMinute = Date.parse(last);
          expect(currentSession(open).active).toContain(window);
          expect(currentSession(lastMinute).active).toContain(window);
          expect(currentSession(open - MINUTE).active).not.toContain(window);
          expect(currentSession(lastMinute + MINUTE).active).not.toContain(window);
        });
      }
      for (const { window, first, last } of killzones) {
        it(`killzone ${window} is open from ${first} to ${last} and closed the minute either side`, () => {
          const open = Date.parse(first);
          const lastMinute = Date.parse(last);
          expect(currentSession(open)).toMatchObject({ killzone: window, killzoneActive: true });
          expect(currentSession(lastMinute)).toMatchObject({ killzone: window, killzoneActive: true });
          // No two default killzones touch, so the minute either side is in none.
          expect(currentSession(open - MINUTE)).toMatchObject({ killzone: null, killzoneActive: false });
          expect(currentSession(lastMinute + MINUTE)).toMatchObject({ killzone: null, killzoneActive: false });
        });
      }
    });
  }
});
