import type { FeedAction, FeedSource, FeedState } from '../failover/feed-state.js';
import { isoUtc } from '../internal/iso-utc.js';
import type { AlertInput } from './create-alert.js';

/** What an alert about a feed action says, before it is numbered and stamped by `createAlert`. */
export type FeedAlertInput = Omit<AlertInput, 'sequence' | 'now'>;

/** Who the action concerns: the symbol, the sources' names and the feed state after the action. */
export interface FeedAlertContext {
  /** The symbol whose feed moved. */
  readonly symbol: string;
  /** Names of the primary and backup sources (the backup's name is `backup` when there is none). */
  readonly sources: Readonly<Record<FeedSource, string>>;
  /** The feed state the transition ended in (says how the outage was detected). */
  readonly state: FeedState;
}

/**
 * The alert a feed action raises, in the specification's words, or `undefined` for actions that
 * are carried out without one (`retry`, `halt`, `backfill`, `gap`). `escalate` actions give a
 * critical alert with `escalate: true`; the caller also tells the coordinator.
 *
 * @example
 * ```ts
 * feedActionAlert({ kind: 'backoff', source: 'primary', until: Date.UTC(2025, 0, 30, 10, 31) },
 *   { symbol: 'BTCUSD', sources: { primary: 'exchange_api', backup: 'data_provider' }, state })
 * // { severity: 'info', type: 'rate_limit', message: 'exchange_api asked for no requests until 2025-01-30T10:31:00Z', … }
 * ```
 */
export function feedActionAlert(action: FeedAction, context: FeedAlertContext): FeedAlertInput | undefined {
  const { symbol, sources, state } = context;
  const primary = sources.primary;
  switch (action.kind) {
    case 'failover':
      return {
        severity: 'warning',
        type: 'failover',
        message: `Primary source ${primary} failed (${state.kind === 'on_backup' ? state.detectedBy : 'errors'}); serving ${symbol} from the backup ${sources.backup}`,
        affected: { symbol, source: primary },
        actionTaken: `Failed over to ${sources.backup}`,
        escalate: false,
      };
    case 'use_cached':
      return action.notify
        ? {
            severity: 'warning',
            type: 'feed',
            message: `No source answers for ${symbol}; serving cached data`,
            affected: { symbol, source: primary },
            actionTaken: 'Serving cached data',
            escalate: false,
          }
        : undefined;
    case 'escalate':
      return action.reason === 'feed_offline'
        ? {
            severity: 'critical',
            type: 'escalation',
            message: `Data feed for ${symbol} is offline since ${isoUtc(action.since)}; trading halted`,
            affected: { symbol, source: primary },
            actionTaken: 'Trading halted; escalated to the trading coordinator',
            escalate: true,
          }
        : {
            severity: 'critical',
            type: 'escalation',
            message: `Source ${sources[action.source]} unavailable for ${symbol} since ${isoUtc(action.since)}`,
            affected: { symbol, source: sources[action.source] },
            actionTaken: 'Escalated to the trading coordinator',
            escalate: true,
          };
    case 'switch_back':
    case 'resume':
      return {
        severity: 'info',
        type: 'failover',
        message: `Primary source ${primary} is serving ${symbol} again`,
        affected: { symbol, source: primary },
        actionTaken: action.kind === 'resume' ? 'Trading resumed' : 'Switched back to the primary',
        escalate: false,
      };
    case 'backoff':
      return action.requestedMs === undefined
        ? {
            severity: 'info',
            type: 'rate_limit',
            message: `${sources[action.source]} asked for no requests until ${isoUtc(action.until)}`,
            affected: { symbol, source: sources[action.source] },
            actionTaken: 'Requests paused until then',
            escalate: false,
          }
        : {
            severity: 'warning',
            type: 'rate_limit',
            message: `${sources[action.source]} asked for no requests for ${action.requestedMs} ms, longer than the longest ban; capped at ${isoUtc(action.until)}`,
            affected: { symbol, source: sources[action.source] },
            actionTaken: 'Requests paused until the cap',
            escalate: false,
          };
    case 'stale':
      return {
        severity: 'warning',
        type: 'stale_data',
        message: `${sources[action.source]} brings no new bars for ${symbol}: ${action.lastBar === null ? 'none yet' : `the newest is ${isoUtc(action.lastBar)}`}, no data since ${isoUtc(action.since)}`,
        affected: { symbol, source: sources[action.source] },
        actionTaken: 'Feed failure protocol started',
        escalate: false,
      };
    case 'alert':
      return {
        severity: 'warning',
        type: 'data_quality',
        message: `Data feed latency elevated (${Math.round(action.latencyMs)}ms vs normal ${Math.round(action.normalLatencyMs)}ms)`,
        affected: { symbol, source: sources[action.source] },
        actionTaken: 'Monitoring, no intervention required',
        escalate: false,
      };
    case 'retry':
    case 'halt':
    case 'backfill':
    case 'gap':
      return undefined;
  }
}
