import { TradingSession } from '../schemas/market-context-schema.js';
import type { SessionWindow } from './session-window.js';

/** The name of a trading session: a value of `TradingSession` other than `off_session`. */
export type SessionName = Exclude<TradingSession, typeof TradingSession.OffSession>;

/**
 * The three main trading sessions, each in its own city's time zone, with the hours commonly
 * published for the currency market (for example BabyPips' "Forex Market Hours": Tokyo
 * 09:00–18:00 JST, London 08:00–17:00, New York 08:00–17:00 local time), Monday to Friday.
 *
 * In UTC this gives, in winter, Asia 00:00–09:00, London 08:00–17:00 and New York
 * 13:00–22:00; London and New York are five hours apart except in the weeks of March and
 * October/November when only one of them has changed clocks, when they are four.
 *
 * @defaultValue
 * `asia` 09:00–18:00 `Asia/Tokyo`; `london` 08:00–17:00 `Europe/London`;
 * `new_york` 08:00–17:00 `America/New_York`; Monday to Friday.
 */
export const DEFAULT_SESSIONS: readonly SessionWindow<SessionName>[] = [
  { name: TradingSession.Asia, timeZone: 'Asia/Tokyo', start: '09:00', end: '18:00' },
  { name: TradingSession.London, timeZone: 'Europe/London', start: '08:00', end: '17:00' },
  { name: TradingSession.NewYork, timeZone: 'America/New_York', start: '08:00', end: '17:00' },
];

/**
 * Default killzones: the first three hours of each default session, in that session's own time
 * zone (`asia_open` 09:00–12:00 Tokyo, `london_open` 08:00–11:00 London, `new_york_open`
 * 08:00–11:00 New York), Monday to Friday.
 *
 * This follows the idea of ICT's killzones — the high-volume hours after the London and New
 * York opens — but anchors each to its own city's open, so that a killzone moves with that
 * city's daylight-saving changes and the specification's example holds: on
 * 2025-01-30T10:30:00Z London is 150 minutes into its session and inside `london_open`. ICT's
 * own windows, read on the New York clock, are {@link ICT_KILLZONES}.
 *
 * @defaultValue
 * `asia_open` 09:00–12:00 `Asia/Tokyo`; `london_open` 08:00–11:00 `Europe/London`;
 * `new_york_open` 08:00–11:00 `America/New_York`; Monday to Friday.
 */
export const DEFAULT_KILLZONES: readonly SessionWindow[] = [
  { name: 'asia_open', timeZone: 'Asia/Tokyo', start: '09:00', end: '12:00' },
  { name: 'london_open', timeZone: 'Europe/London', start: '08:00', end: '11:00' },
  { name: 'new_york_open', timeZone: 'America/New_York', start: '08:00', end: '11:00' },
];

/**
 * ICT (Inner Circle Trader) killzones as usually taught, all on the New York clock: Asian
 * 20:00–00:00 (opening Sunday to Thursday evening), London open 02:00–05:00, New York open
 * 07:00–10:00 and London close 10:00–12:00. Pass them as `killzones` to use that convention.
 * With them, 2025-01-30T10:30:00Z (05:30 in New York) is in no killzone.
 *
 * @example
 * ```ts
 * currentSession(Date.UTC(2025, 0, 30, 7, 30), { killzones: ICT_KILLZONES }).killzone // 'london_open'
 * ```
 */
export const ICT_KILLZONES: readonly SessionWindow[] = [
  { name: 'asian', timeZone: 'America/New_York', start: '20:00', end: '24:00', days: [7, 1, 2, 3, 4] },
  { name: 'london_open', timeZone: 'America/New_York', start: '02:00', end: '05:00' },
  { name: 'new_york_open', timeZone: 'America/New_York', start: '07:00', end: '10:00' },
  { name: 'london_close', timeZone: 'America/New_York', start: '10:00', end: '12:00' },
];
