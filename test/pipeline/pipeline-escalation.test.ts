import { describe, expect, it } from 'vitest';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import type { Alert } from '../../src/schemas/alert-schema.js';
import type { Ohlcv } from '../../src/schemas/ohlcv.js';
import { ManualClock } from '../../src/testing/manual-clock.js';
import { fakeSource, flat } from './support.js';

const MIN = 60_000;
const T0 = Date.UTC(2025, 0, 30);

/** One bar a minute from T0, at a rising price, without the bars at the given minutes. */
function minutes(count: number, missing: readonly number[] = []): Ohlcv[] {
  const holes = new Set(missing);
  return Array.from({ length: count }, (_, i) => flat(T0 + i * MIN, 100 + i)).filter((_, i) => !holes.has(i));
}

/** Minutes `from` up to `to`, exclusive. */
function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

interface Watched {
  readonly pipeline: Pipeline;
  readonly alerts: Alert[];
  readonly escalations: { readonly at: number; readonly reasons: readonly string[]; readonly alert: Alert }[];
}

function watch(pipeline: Pipeline, clock: ManualClock): Watched {
  const alerts: Alert[] = [];
  const escalations: Watched['escalations'][number][] = [];
  pipeline.on('alert', (alert) => alerts.push(alert));
  pipeline.on('escalation', ({ reasons, alert }) => escalations.push({ at: clock.now(), reasons, alert }));
  return { pipeline, alerts, escalations };
}

describe('Pipeline escalation of critical gaps', () => {
  // Specification: "Critical timeframes (1m, 5m): Zero tolerance for gaps > 3 bars" and
  // "Escalate to trading-coordinator when: Critical gaps detected in recent data".

  it('escalates each critical gap a backfill finds, however old, once, with its own alert', async () => {
    // Catching up two hours: 4 missing 1m bars (minutes 20..23) and 10 (minutes 40..49), both
    // more than 3 bars on 1m, both ended more than an hour before they are found.
    const clock = new ManualClock(T0 + 120 * MIN + 1000);
    const source = fakeSource('exchange_api', minutes(120, [...range(20, 24), ...range(40, 50)]), clock);
    const { pipeline, alerts, escalations } = watch(
      new Pipeline({ primary: source, clock, start: T0, config: { symbols: ['BTCUSD'], timeframes: ['1m'] } }),
      clock,
    );
    await pipeline.runOnce();
    const gapAlerts = alerts.filter((a) => a.type === 'gap');
    expect(gapAlerts.map((a) => [a.severity, a.escalate, a.message])).toEqual([
      ['critical', true, '4 1m bars missing for BTCUSD from 2025-01-30T00:20:00Z'],
      ['critical', true, '10 1m bars missing for BTCUSD from 2025-01-30T00:40:00Z'],
    ]);
    // One escalation per gap, each carrying the gap's own (escalating) alert; no second alert.
    expect(escalations.map((e) => e.alert.alert_id)).toEqual(gapAlerts.map((a) => a.alert_id));
    expect(alerts.filter((a) => a.escalate)).toHaveLength(2);
    // Later documents do not escalate the same gaps again.
    for (let k = 1; k <= 5; k++) {
      source.bars = minutes(120 + k, [...range(20, 24), ...range(40, 50)]);
      await clock.advance(MIN);
      await pipeline.runOnce();
    }
    expect(escalations).toHaveLength(2);
  });

  it('escalates an 11-bar gap found while an earlier critical gap is still recent', async () => {
    const clock = new ManualClock(T0 + 30 * MIN + 1000);
    const holes = [...range(10, 15), ...range(35, 46)];
    const source = fakeSource('exchange_api', minutes(30, holes), clock);
    const { pipeline, alerts, escalations } = watch(
      new Pipeline({ primary: source, clock, start: T0, config: { symbols: ['BTCUSD'], timeframes: ['1m'] } }),
      clock,
    );
    await pipeline.runOnce();
    // 30 minutes later the 11-bar gap (minutes 35..45) is found by the polls, 25 minutes after the first.
    source.bars = minutes(60, holes);
    for (let k = 1; k <= 30; k++) {
      await clock.advance(MIN);
      await pipeline.runOnce();
    }
    const gapAlerts = alerts.filter((a) => a.type === 'gap');
    expect(gapAlerts.map((a) => [a.severity, a.escalate, a.message])).toEqual([
      ['critical', true, '5 1m bars missing for BTCUSD from 2025-01-30T00:10:00Z'],
      ['critical', true, '11 1m bars missing for BTCUSD from 2025-01-30T00:35:00Z'],
    ]);
    // While the source had nothing after minute 34 the score fell too: that escalation is not about gaps.
    const others = escalations.filter((e) => !e.reasons.every((r) => r.startsWith('Quality score')));
    expect(others.map((e) => e.alert.alert_id)).toEqual(gapAlerts.map((a) => a.alert_id));
    expect(others.map((e) => e.reasons)).toEqual(gapAlerts.map((a) => [a.message]));
  });

  it('does not escalate a gap of 3 bars or fewer on 1m', async () => {
    const clock = new ManualClock(T0 + 30 * MIN + 1000);
    const source = fakeSource('exchange_api', minutes(30, range(10, 13)), clock);
    const { pipeline, alerts, escalations } = watch(
      new Pipeline({ primary: source, clock, start: T0, config: { symbols: ['BTCUSD'], timeframes: ['1m'] } }),
      clock,
    );
    await pipeline.runOnce();
    expect(alerts).toEqual([]);
    expect(escalations).toEqual([]);
  });
});
