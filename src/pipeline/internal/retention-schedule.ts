import { retentionCutoff } from '../../retention/retention-cutoff.js';
import type { Retention } from '../../schemas/config.js';
import { HOUR_MS, type Timeframe } from '../../time/timeframe.js';
import { TwoKeyMap } from '../../internal/two-key-map.js';
import type { SeriesQuality } from './series-quality.js';
import type { StoreAccess } from './store-access.js';

/**
 * Owns retention: drops each series' bars past the retention module's cut-off, at most once an
 * hour of clock time per series (retention is counted in days), from the store and from the
 * series' quality window alike.
 */
export class RetentionSchedule {
  readonly #retention: Retention;
  readonly #store: StoreAccess;
  readonly #quality: SeriesQuality;
  /** Per series: clock time (epoch ms) from which the next prune is due. */
  readonly #due = new TwoKeyMap<string, Timeframe, number>();

  constructor(retention: Retention, store: StoreAccess, quality: SeriesQuality) {
    this.#retention = retention;
    this.#store = store;
    this.#quality = quality;
  }

  /** Prunes a series when its hour has come at `now` (epoch ms). */
  async maybePrune(symbol: string, tf: Timeframe, now: number): Promise<void> {
    if (now < (this.#due.get(symbol, tf) ?? Number.NEGATIVE_INFINITY)) return;
    this.#due.set(symbol, tf, now + HOUR_MS);
    const cutoff = retentionCutoff(tf, now, this.#retention);
    if (cutoff === undefined) return;
    await this.#store.prune(symbol, tf, cutoff);
    this.#quality.pruned(symbol, tf, cutoff);
  }
}
