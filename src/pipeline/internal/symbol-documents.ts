import { buildMarketContext } from '../../context/build-market-context.js';
import { DEFAULT_TREND_OPTIONS } from '../../context/trend-direction.js';
import type { SessionState } from '../../context/current-session.js';
import { atr } from '../../indicators/atr.js';
import { dailyStats } from '../../indicators/daily-stats.js';
import { isoUtc } from '../../internal/iso-utc.js';
import { QualityTracker } from '../../quality/quality-tracker.js';
import { buildLatestOhlcv, type LatestOhlcvInput } from '../../reports/build-latest-ohlcv.js';
import type { Alert } from '../../schemas/alert-schema.js';
import type { PipelineConfig } from '../../schemas/config.js';
import type { LatestOhlcv } from '../../schemas/latest-ohlcv-schema.js';
import type { MarketContext } from '../../schemas/market-context-schema.js';
import type { MissingField } from '../../schemas/missing-field-schema.js';
import type { Ohlcv } from '../../schemas/ohlcv.js';
import { bucketStart } from '../../time/bucket-start.js';
import { DAY_MS, HOUR_MS, type Timeframe } from '../../time/timeframe.js';
import { expectedBarCount } from '../../time/expected-bar-count.js';
import type { HigherTimeframes } from './higher-timeframes.js';
import type { StoreAccess } from './store-access.js';

/** High, low and volume of the current UTC day so far, as `latest_ohlcv` reports them. */
type DailyFields = LatestOhlcvInput['daily'];

const NO_DAY: DailyFields = { high: null, low: null, volume: null };

const DAILY_FIELDS = ['derived.daily_high', 'derived.daily_low', 'derived.daily_volume'] as const;

/**
 * Owns the two per-symbol documents, `latest_ohlcv` and `market_context`, and what they keep
 * between builds: the ATR(14) of the 1H bars (recomputed when 1H bars arrive) and the last
 * market context (rebuilt when daily or 4H bars or the alerts change; otherwise only its time
 * and session move).
 */
export class SymbolDocuments {
  readonly #config: PipelineConfig;
  readonly #store: StoreAccess;
  readonly #higher: HigherTimeframes;
  /** Per symbol: ATR(14) of the 1H bars at the last documents (`null` while it warms up). */
  readonly #atr1h = new Map<string, number | null>();
  /** Per symbol: the last market context and the alert count it saw. */
  readonly #contexts = new Map<string, { readonly document: MarketContext; readonly alertSequence: number }>();

  constructor(config: PipelineConfig, store: StoreAccess, higher: HigherTimeframes) {
    this.#config = config;
    this.#store = store;
    this.#higher = higher;
  }

  /**
   * Open time (epoch ms) of the oldest base bar the documents read at `now`, the history a first
   * run fetches so that they claim nothing they do not know: the UTC day so far (daily fields),
   * the base timeframe's quality window, and with the timeframes configured, the 1H bars ATR(14)
   * needs (15 closed), the previous UTC day (pivots), the previous Monday-anchored week (weekly
   * levels) and the 4H bars the trend reads (20 closed). Other fields (`trend_1D`, the
   * volatility percentile) read further back and fill in as history accrues.
   */
  historyFrom(now: number): number {
    const timeframes = this.#config.timeframes;
    const day = bucketStart(now, '1D');
    let from = Math.min(day, bucketStart(now - QualityTracker.windowMs(this.#config.baseTimeframe, now), this.#config.baseTimeframe));
    if (timeframes.includes('1H')) from = Math.min(from, bucketStart(now, '1H') - (this.#config.preprocessing.atrPeriod + 1) * HOUR_MS);
    if (timeframes.includes('1D')) from = Math.min(from, day - DAY_MS, bucketStart(now, '1W') - 7 * DAY_MS);
    if (timeframes.includes('4H')) from = Math.min(from, bucketStart(now, '4H') - DEFAULT_TREND_OPTIONS.period * 4 * HOUR_MS);
    return from;
  }

  /**
   * `latest_ohlcv` of `symbol` at `now` from the newest bar of each timeframe; `changed` says
   * which series got bars, `baseBarsToday` how many base bars of the UTC day so far are held.
   * The daily fields come only from the whole day so far: while a base bar of it is not held
   * they are `null`, and `missing` says how many are; so is an ATR still warming up.
   */
  async latestOhlcv(
    symbol: string,
    latest: Partial<Record<Timeframe, Ohlcv>>,
    changed: ReadonlySet<Timeframe>,
    baseBarsToday: number,
    now: number,
  ): Promise<LatestOhlcv> {
    if (this.#config.timeframes.includes('1H') && (!this.#atr1h.has(symbol) || changed.has('1H'))) {
      const period = this.#config.preprocessing.atrPeriod;
      const hours = await this.#store.columns(symbol, '1H', now - (period * 4 + 1) * HOUR_MS, now);
      const value = atr(hours, { period })[hours.length - 1];
      this.#atr1h.set(symbol, value !== undefined && Number.isFinite(value) ? value : null);
    }
    const missing: MissingField[] = [];
    const atr14h1 = this.#atr1h.get(symbol) ?? null;
    if (atr14h1 === null) {
      const reason = this.#config.timeframes.includes('1H')
        ? `fewer than ${this.#config.preprocessing.atrPeriod + 1} closed 1H bars are held`
        : '1H bars are not configured';
      missing.push({ field: 'derived.atr_14_1H', reason });
    }
    const base = this.#config.baseTimeframe;
    const dayStart = bucketStart(now, '1D');
    const due = expectedBarCount(dayStart, bucketStart(now, base), base);
    let daily: DailyFields = NO_DAY;
    let dailyReason: string | undefined;
    if (due === 0) dailyReason = 'no bar of today has closed yet';
    else if (baseBarsToday < due) dailyReason = `${baseBarsToday} of the ${due} ${base} bars since 00:00 UTC are held`;
    else daily = this.#higher.targets.includes('1D') ? this.#dailyFromAggregator(symbol, now) : await this.#dailyFromBars(symbol, now);
    if (dailyReason !== undefined) for (const field of DAILY_FIELDS) missing.push({ field, reason: dailyReason });
    return buildLatestOhlcv({ now, symbol, latest, atr14h1, daily, missing });
  }

  /**
   * `market_context` of `symbol` at `now`: the previous one with the new time and session when
   * neither daily nor 4H bars nor the alerts (numbered up to `alertSequence`) changed since;
   * otherwise built from the stored daily and 4H bars and the alerts.
   */
  async marketContext(
    symbol: string,
    session: SessionState,
    changed: ReadonlySet<Timeframe>,
    alerts: readonly Alert[],
    alertSequence: number,
    now: number,
  ): Promise<MarketContext> {
    const previous = this.#contexts.get(symbol);
    let document: MarketContext;
    if (previous !== undefined && previous.alertSequence === alertSequence && !changed.has('1D') && !changed.has('4H')) {
      document = {
        ...previous.document,
        updated_at: isoUtc(now),
        session: { current: session.current, minutes_into_session: session.minutesIntoSession, killzone_active: session.killzoneActive },
      };
    } else {
      const timeframes = this.#config.timeframes;
      const daily = timeframes.includes('1D') ? await this.#store.columns(symbol, '1D', now - 120 * DAY_MS, now) : undefined;
      const fourHour = timeframes.includes('4H') ? await this.#store.columns(symbol, '4H', now - 30 * DAY_MS, now) : undefined;
      const built = buildMarketContext({
        symbol,
        now,
        ...(daily === undefined ? {} : { daily }),
        ...(fourHour === undefined ? {} : { fourHour }),
        alerts,
      });
      document = built.missing.length === 0 ? built.document : { ...built.document, missing: [...built.missing] };
    }
    this.#contexts.set(symbol, { document, alertSequence });
    return document;
  }

  /** Today so far (UTC) from the forming 1D bucket; nulls before today's first bar. */
  #dailyFromAggregator(symbol: string, now: number): DailyFields {
    const forming = this.#higher.forming(symbol, '1D');
    return forming !== undefined && forming.timestamp === bucketStart(now, '1D')
      ? { high: forming.high, low: forming.low, volume: forming.volume }
      : NO_DAY;
  }

  /** Today so far (UTC) from the stored base bars, when 1D is not aggregated. */
  async #dailyFromBars(symbol: string, now: number): Promise<DailyFields> {
    const stats = dailyStats(await this.#store.columns(symbol, this.#config.baseTimeframe, bucketStart(now, '1D'), now), now);
    return stats.bars > 0 ? { high: stats.high ?? null, low: stats.low ?? null, volume: stats.volume ?? null } : NO_DAY;
  }
}
