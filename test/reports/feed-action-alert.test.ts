import { describe, expect, it } from 'vitest';
import type { FeedAction } from '../../src/failover/feed-state.js';
import { initialFeedState } from '../../src/failover/initial-feed-state.js';
import { createAlert } from '../../src/reports/create-alert.js';
import { feedActionAlert } from '../../src/reports/feed-action-alert.js';

const sources = { primary: 'exchange_api', backup: 'data_provider' } as const;
const context = { symbol: 'BTCUSD', sources, state: initialFeedState() };

describe('feedActionAlert', () => {
  it('turns a latency alert into the specification’s example alert', () => {
    // SPECIFICATION.md, "Alert Format": DATA-ALERT-001 at 2025-01-30T10:30:00Z.
    const input = feedActionAlert({ kind: 'alert', source: 'primary', latencyMs: 150, normalLatencyMs: 45 }, context);
    expect(input).toBeDefined();
    expect(createAlert({ ...input!, sequence: 1, now: Date.UTC(2025, 0, 30, 10, 30) })).toEqual({
      alert_id: 'DATA-ALERT-001',
      timestamp: '2025-01-30T10:30:00Z',
      severity: 'warning',
      type: 'data_quality',
      message: 'Data feed latency elevated (150ms vs normal 45ms)',
      affected: { symbol: 'BTCUSD', source: 'exchange_api' },
      action_taken: 'Monitoring, no intervention required',
      escalate: false,
    });
  });

  it('escalates an offline feed and an unavailable source, naming the source', () => {
    const since = Date.UTC(2025, 0, 30, 10, 0);
    const offline = feedActionAlert({ kind: 'escalate', reason: 'feed_offline', since }, context);
    expect(offline).toMatchObject({ severity: 'critical', type: 'escalation', escalate: true, affected: { source: 'exchange_api' } });
    expect(offline?.message).toBe('Data feed for BTCUSD is offline since 2025-01-30T10:00:00Z; trading halted');
    const unavailable = feedActionAlert({ kind: 'escalate', reason: 'source_unavailable', source: 'backup', since }, context);
    expect(unavailable).toMatchObject({ escalate: true, affected: { symbol: 'BTCUSD', source: 'data_provider' } });
  });

  it('raises nothing for the steps carried out without an alert', () => {
    const silent: FeedAction[] = [
      { kind: 'retry', source: 'primary', at: 0 },
      { kind: 'halt' },
      { kind: 'backfill', source: 'primary', from: 0, to: 60_000, bars: 2 },
      { kind: 'gap', source: 'primary', from: 0, to: 60_000, bars: 2 },
      { kind: 'use_cached', notify: false },
    ];
    expect(silent.map((action) => feedActionAlert(action, context))).toEqual(silent.map(() => undefined));
  });

  it('says what was done on failover, cached data, recovery and back-off', () => {
    expect(feedActionAlert({ kind: 'failover', to: 'backup' }, context)?.actionTaken).toBe('Failed over to data_provider');
    expect(feedActionAlert({ kind: 'use_cached', notify: true }, context)?.actionTaken).toBe('Serving cached data');
    expect(feedActionAlert({ kind: 'resume', source: 'primary' }, context)?.actionTaken).toBe('Trading resumed');
    expect(feedActionAlert({ kind: 'switch_back', to: 'primary' }, context)?.actionTaken).toBe('Switched back to the primary');
    const backoff = feedActionAlert({ kind: 'backoff', source: 'primary', until: Date.UTC(2025, 0, 30, 10, 31) }, context);
    expect(backoff?.message).toBe('exchange_api asked for no requests until 2025-01-30T10:31:00Z');
  });
});
