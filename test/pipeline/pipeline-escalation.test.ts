import { describe, expect, it } from 'vitest';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import type { PipelineCheckpoint } from '../../src/pipeline/pipeline-options.js';
import type { Alert } from '../../src/schemas/alert-schema.js';
import type { Ohlcv } from '../../src/schemas/ohlcv.js';
import { ManualClock } from '../../src/testing/manual-clock.js';
import { MemorySink } from '../../src/testing/memory-sink.js';
import { SimulatedSource } from '../../src/testing/simulated-source.js';
import { fakeSource, flat, type FakeSource } from './support.js';

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
    // While the source had nothing after minute 34 the score fell, and the feed went stale (no
    // new bar 30 s after one was due: the specification's "no data for 30 seconds"), failed and
    // halted: those escalations are not about gaps.
    expect(alerts.find((a) => a.type === 'stale_data')?.timestamp).toBe('2025-01-30T00:37:01Z');
    const others = escalations.filter((e) => e.alert.type !== 'escalation' && !e.reasons.every((r) => r.startsWith('Quality score')));
    expect(others.map((e) => e.alert.alert_id)).toEqual(gapAlerts.map((a) => a.alert_id));
    expect(others.map((e) => e.reasons)).toEqual(gapAlerts.map((a) => [a.message]));
  });

  it('escalates the critical gaps the backfill after an outage finds, more than an hour after they ended', async () => {
    // The source is down from minute 12 to minute 100; when it is back, the backfill (at most
    // 100 bars) fetches minutes 12..99, which hold 4 (15..18) and 10 (25..34) missing bars.
    const holes = [...range(15, 19), ...range(25, 35)];
    const clock = new ManualClock(T0 + MIN + 1000);
    const source = new SimulatedSource({
      clock,
      bars: { BTCUSD: minutes(200, holes) },
      includeForming: false,
      faults: [{ kind: 'outage', from: T0 + 12 * MIN, to: T0 + 100 * MIN }],
    });
    const { pipeline, alerts, escalations } = watch(
      new Pipeline({ primary: source, clock, start: T0, config: { symbols: ['BTCUSD'], timeframes: ['1m'] } }),
      clock,
    );
    for (let k = 1; k <= 110; k++) {
      if (k > 1) await clock.advance(MIN);
      await pipeline.runOnce();
    }
    const gapAlerts = alerts.filter((a) => a.type === 'gap');
    expect(gapAlerts.map((a) => [a.severity, a.escalate, a.message])).toEqual([
      ['critical', true, '4 1m bars missing for BTCUSD from 2025-01-30T00:15:00Z'],
      ['critical', true, '10 1m bars missing for BTCUSD from 2025-01-30T00:25:00Z'],
    ]);
    const forGaps = escalations.filter((e) => e.alert.type === 'gap');
    expect(forGaps.map((e) => e.alert.alert_id)).toEqual(gapAlerts.map((a) => a.alert_id));
    // No other escalation speaks of gaps (the outage escalates on its own).
    expect(escalations.filter((e) => e.alert.type !== 'gap' && e.reasons.some((r) => /gap/i.test(r)))).toEqual([]);
  });

  it('escalates a critical gap a stream finds', async () => {
    // The stream brings minute 19, then minute 25: 5 missing 1m bars (20..24).
    const clock = new ManualClock(T0 + 10 * MIN + 1000);
    const source = new SimulatedSource({ clock, bars: { BTCUSD: minutes(60, range(20, 25)) } });
    const { pipeline, alerts, escalations } = watch(
      new Pipeline({ primary: source, clock, start: T0, config: { symbols: ['BTCUSD'], timeframes: ['1m'] } }),
      clock,
    );
    pipeline.start();
    await clock.advance(0);
    await clock.advance(30 * MIN);
    await pipeline.stop();
    const gapAlerts = alerts.filter((a) => a.type === 'gap');
    expect(gapAlerts.map((a) => [a.severity, a.escalate, a.message])).toEqual([
      ['critical', true, '5 1m bars missing for BTCUSD from 2025-01-30T00:20:00Z'],
    ]);
    expect(escalations.filter((e) => e.alert.type === 'gap').map((e) => e.alert.alert_id)).toEqual(gapAlerts.map((a) => a.alert_id));
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

/**
 * Drives a pipeline minute by minute (each cycle 1 s after the minute closes). During the
 * stalls the source brings no new bar: 2 minutes after its close the newest bar's delay is
 * 121 s, beyond twice the specification's 60 s for 1m data, so freshness is 0 and the score is
 * 0.3 + 0.3 + 0.25 × 0 + 0.15 = 0.75, below the specification's 0.8; with the bars back it is 1.
 */
async function hover(
  pipeline: Pipeline,
  source: FakeSource,
  clock: ManualClock,
  from: number,
  to: number,
  stalls: readonly (readonly [number, number])[],
): Promise<void> {
  for (let k = from; k < to; k++) {
    if (k > from) await clock.advance(MIN);
    const stall = stalls.find(([a, b]) => k >= a && k < b);
    source.bars = minutes(stall === undefined ? k : stall[0]);
    await pipeline.runOnce();
  }
}

/** A pipeline at minute `k` + 1 s on one 1m series with quality scored at every cycle. */
function hovering(k: number, options: { rearmMs?: number; checkpoint?: PipelineCheckpoint } = {}) {
  const clock = new ManualClock(T0 + k * MIN + 1000);
  const source = fakeSource('exchange_api', minutes(k), clock);
  const sink = new MemorySink();
  const watched = watch(
    new Pipeline({
      primary: source,
      clock,
      start: T0,
      sinks: [sink],
      ...(options.checkpoint === undefined ? {} : { checkpoint: options.checkpoint }),
      config: {
        symbols: ['BTCUSD'],
        timeframes: ['1m'],
        ...(options.rearmMs === undefined ? {} : { escalation: { qualityRearmMs: options.rearmMs } }),
      },
    }),
    clock,
  );
  const quality = () => watched.escalations.filter((e) => e.reasons.some((r) => r.startsWith('Quality score')));
  return { clock, source, ...watched, quality };
}

describe('Pipeline quality escalation', () => {
  it('escalates a score hovering around 0.8 once, not at every dip', async () => {
    const { pipeline, source, clock, quality } = hovering(1);
    await hover(pipeline, source, clock, 1, 60, [
      [10, 13],
      [20, 23],
      [30, 33],
      [45, 48],
    ]);
    // Default re-arm: the quality window (1 day for 1m), so one escalation in this hour.
    expect(quality().map((e) => [e.at, e.reasons])).toEqual([[T0 + 12 * MIN + 1000, ['Quality score for BTCUSD 0.750 is below 0.8']]]);
  });

  it('re-arms once the score has held at or above 0.8 for qualityRearmMs', async () => {
    const { pipeline, source, clock, quality } = hovering(1, { rearmMs: 15 * MIN });
    // Dips at minutes 12, 22 (held 9 min since 13: too short) and 42 (held since 23: re-armed at 38).
    await hover(pipeline, source, clock, 1, 50, [
      [10, 13],
      [20, 23],
      [40, 43],
    ]);
    expect(quality().map((e) => e.at)).toEqual([T0 + 12 * MIN + 1000, T0 + 42 * MIN + 1000]);
  });

  it('keeps the escalation memory across a checkpoint, and restores checkpoints without its hold time', async () => {
    const rearmMs = 15 * MIN;
    const first = hovering(1, { rearmMs });
    await hover(first.pipeline, first.source, first.clock, 1, 20, [[10, 13]]);
    expect(first.quality().map((e) => e.at)).toEqual([T0 + 12 * MIN + 1000]);
    const saved = JSON.parse(JSON.stringify(first.pipeline.checkpoint())) as PipelineCheckpoint;
    // Escalated and held since minute 13: a dip at minute 22 (held 9 min) does not escalate again…
    const early = hovering(20, { rearmMs, checkpoint: saved });
    await hover(early.pipeline, early.source, early.clock, 20, 25, [[20, 23]]);
    expect(early.quality()).toEqual([]);
    // …one at minute 32 (held 19 min, counted from before the checkpoint) does.
    const late = hovering(20, { rearmMs, checkpoint: saved });
    await hover(late.pipeline, late.source, late.clock, 20, 35, [[30, 33]]);
    expect(late.quality().map((e) => e.at)).toEqual([T0 + 32 * MIN + 1000]);
    // A checkpoint of an earlier version (critical gaps, no hold time) restores; the hold starts
    // afresh at minute 20, so the dip at minute 32 (held 12 min) does not escalate.
    const symbols = Object.fromEntries(
      Object.entries(saved.symbols).map(([symbol, s]) => [symbol, { ...s, criticalGaps: [], qualityHeldSince: undefined }]),
    );
    const legacy = JSON.parse(JSON.stringify({ ...saved, symbols })) as PipelineCheckpoint;
    const old = hovering(20, { rearmMs, checkpoint: legacy });
    await hover(old.pipeline, old.source, old.clock, 20, 35, [[30, 33]]);
    expect(old.quality()).toEqual([]);
  });
});
