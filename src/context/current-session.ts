import { instantOf, latestOpened, openWindows, parseWindows, type OffsetCache, type ParsedWindow } from './internal/session-windows.js';
import { ConfigError } from '../errors/config-error.js';
import { TradingSession } from '../schemas/market-context-schema.js';
import { MINUTE_MS } from '../time/timeframe.js';
import { DEFAULT_KILLZONES, DEFAULT_SESSIONS, type SessionName } from './default-sessions.js';
import type { SessionWindow } from './session-window.js';

/** Which sessions and killzones {@link currentSession} knows. */
export interface SessionOptions {
  /**
   * Trading sessions. Several may share a name (for example two windows both reported as
   * `asia`).
   *
   * @defaultValue {@link DEFAULT_SESSIONS}
   */
  readonly sessions?: readonly SessionWindow<SessionName>[];
  /**
   * Killzones, evaluated independently of the sessions.
   *
   * @defaultValue {@link DEFAULT_KILLZONES}
   */
  readonly killzones?: readonly SessionWindow[];
}

/** Where an instant falls among the trading sessions and killzones. */
export interface SessionState {
  /**
   * The session in force: when several are open, the one that opened most recently (New York
   * during the London/New York overlap, London during the Asia/London overlap); equal openings
   * go to the earlier in the list. `off_session` when none is open.
   */
  readonly current: TradingSession;
  /** Whole minutes (rounded down) since `current` opened, in real elapsed time; `null` off-session. */
  readonly minutesIntoSession: number | null;
  /** Epoch ms at which `current` opened; `null` off-session. */
  readonly sessionOpen: number | null;
  /** Epoch ms at which `current` closes (exclusive); `null` off-session. */
  readonly sessionClose: number | null;
  /** Every open session, earliest opening first (more than one during an overlap). */
  readonly active: readonly SessionName[];
  /** Whether any killzone is open. */
  readonly killzoneActive: boolean;
  /** The open killzone (the most recently opened when several are), or `null`. */
  readonly killzone: string | null;
}

const SESSION_NAMES: readonly SessionName[] = [TradingSession.Asia, TradingSession.London, TradingSession.NewYork];

let defaultWindows: { sessions: readonly ParsedWindow[]; killzones: readonly ParsedWindow[] } | undefined;

function resolveWindows(options: SessionOptions | undefined): {
  sessions: readonly ParsedWindow[];
  killzones: readonly ParsedWindow[];
} {
  defaultWindows ??= {
    sessions: parseWindows(DEFAULT_SESSIONS, 'sessions', SESSION_NAMES),
    killzones: parseWindows(DEFAULT_KILLZONES, 'killzones'),
  };
  return {
    sessions: options?.sessions === undefined ? defaultWindows.sessions : parseWindows(options.sessions, 'sessions', SESSION_NAMES),
    killzones: options?.killzones === undefined ? defaultWindows.killzones : parseWindows(options.killzones, 'killzones'),
  };
}

/**
 * The trading session and killzone at an instant.
 *
 * Each session and killzone is read on its own city's wall clock (see {@link SessionWindow}),
 * so daylight-saving changes are followed, including the weeks when London and New York are
 * four hours apart instead of five. Overlaps go to the session that opened most recently.
 *
 * @param now - The instant, epoch ms (UTC).
 * @param options - Sessions and killzones; see {@link SessionOptions}.
 * @returns The session in force, minutes into it, every open session, and the killzone.
 * @throws ConfigError when `now` is not finite, or a window has a bad name (sessions must be
 * named `asia`, `london` or `new_york`), time zone, time or weekday list.
 *
 * @example
 * ```ts
 * currentSession(Date.parse('2025-01-30T10:30:00Z'))
 * // { current: 'london', minutesIntoSession: 150, sessionOpen: Date.parse('2025-01-30T08:00:00Z'),
 * //   sessionClose: Date.parse('2025-01-30T17:00:00Z'), active: ['london'],
 * //   killzoneActive: true, killzone: 'london_open' }
 * ```
 */
export function currentSession(now: number, options?: SessionOptions): SessionState {
  if (!Number.isFinite(now)) {
    throw new ConfigError(`Expected \`now\` to be finite epoch milliseconds, got \`${String(now)}\``, {
      path: ['now'],
      value: now,
    });
  }
  const { sessions, killzones } = resolveWindows(options);
  const cache: OffsetCache = new Map();
  const openSessions = openWindows(sessions, now, cache);
  const session = latestOpened(openSessions);
  const killzone = latestOpened(openWindows(killzones, now, cache));
  return {
    current: session === undefined ? TradingSession.OffSession : (session.name as SessionName),
    minutesIntoSession: session === undefined ? null : Math.floor((now - session.open) / MINUTE_MS),
    sessionOpen: session === undefined ? null : session.open,
    sessionClose: session === undefined ? null : instantOf(session.timeZone, session.closeWall, cache),
    active: openSessions.map((w) => w.name as SessionName),
    killzoneActive: killzone !== undefined,
    killzone: killzone === undefined ? null : killzone.name,
  };
}
