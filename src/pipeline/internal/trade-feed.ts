import { isoUtc } from '../../internal/iso-utc.js';
import type { TradesConfig } from '../../schemas/config.js';
import { parseTicks } from '../../schemas/parse-ticks.js';
import type { Tick } from '../../schemas/tick.js';
import { bucketStart } from '../../time/bucket-start.js';
import type { Timeframe } from '../../time/timeframe.js';
import { TickRule } from '../../validate/tick-rule.js';
import { validateTicks } from '../../validate/validate-ticks.js';
import type { Clock } from '../clock.js';
import type { Source, TradesRequest } from '../source.js';
import type { Delivery } from './delivery.js';
import type { FeedController, FeedSourceRef } from './feed-controller.js';
import type { IssueLog } from './issue-log.js';
import type { PipelineEmitter } from './pipeline-emitter.js';
import { sequenceTrades, type TradeIdGap } from './sequence-trades.js';
import type { StoreAccess } from './store-access.js';
import { tallyTradeGaps, tradeGapIssue, type TradeGapTally } from './trade-gap-report.js';
import { tradesStalled } from './trades-stalled.js';
import { newSymbolTrades, type SymbolTrades } from './symbol-trades.js';
import type { TradeBars } from './trade-bars.js';

/**
 * Requests of one cycle at most (pages of `trades.limit`): a long catch-up goes on at the next
 * cycle. The re-fetches of one batch's gaps are bounded by it too.
 */
const MAX_PAGES = 50;

/**
 * Batches of a trade stream in a row whose gap could not be re-fetched (the request failed or was
 * throttled) before the gap is given up as lost: until then the trades after the gap wait.
 */
const MAX_STREAM_RETRIES = 3;

/**
 * How long after a request was sent a trade of before it may still be missing from the answer
 * (an exchange publishes a trade shortly after it happens), ms: the bar from trades forming at
 * `sentAt` closes only once `sentAt` minus this has passed its end, so that a trade at :59.9 that
 * comes with the next poll is still counted. A trade of a later bucket closes it at once.
 */
const LATE_TRADE_ALLOWANCE_MS = 5000;

/** Rules about the order of trades: dedupe and ordering settle them, so they refuse no trade. */
const ORDER_RULES: ReadonlySet<string> = new Set([TickRule.TimestampNonDecreasing, TickRule.TradeIdUnique, TickRule.TradeIdIncreasing]);

/** The units a {@link TradeFeed} works with. */
export interface TradeFeedUnits {
  readonly feed: FeedController;
  readonly delivery: Delivery;
  readonly issues: IssueLog;
  readonly bars: TradeBars;
  readonly store: StoreAccess;
  readonly emitter: PipelineEmitter;
  readonly clock: Clock;
}

/** What a {@link TradeFeed} knows of the pipeline's set-up. */
export interface TradeFeedSettings {
  readonly trades: TradesConfig;
  readonly base: Timeframe;
  readonly baseMs: number;
  /** Where a symbol's first request starts (epoch ms); omitted: the current base bar's open. */
  readonly start: number | undefined;
}

/** Where a batch of trades came from. */
interface TakenBatch {
  /** From a `subscribeTrades` stream (it cannot be asked again). */
  readonly streamed: boolean;
  /** The `since` (epoch ms) the answer was asked from; `null` when asked by id or streamed. */
  readonly since: number | null;
}

/** What the re-fetch of a batch's gaps brought. */
interface Refetched {
  /** The trades found inside the gaps. */
  readonly ticks: readonly Tick[];
  /** The first id not yet asked for when a re-fetch failed or the page budget ran out (the batch is cut there); `null`: all asked. */
  readonly cutAt: number | null;
}

/**
 * Owns each symbol's trades: asks the source the failover ladder names (`fetchTrades`, through
 * its rate limiter with `tradesRequestWeight`, under the feed timeout) from the last trade id
 * on, page by page; takes each answer through parse (`parseTicks`), validate (`validateTicks`:
 * a trade breaking a value rule is refused and reported), dedupe by trade id and order; finds
 * jumps in consecutive ids and re-fetches them by id at once (`tradeGap` event, `gap_detected`
 * issue, the trades' completeness); delivers the batch as one `ticks` record; feeds the bars
 * built from trades ({@link TradeBars}); and keeps the last trade id for the checkpoint. A
 * symbol whose trades stall while its bars show trading makes its source `stale`. While the
 * primary's trade stream is open ({@link TradeFeed.streamed}), polls fetch nothing from it.
 */
export class TradeFeed {
  readonly #settings: TradeFeedSettings;
  readonly #units: TradeFeedUnits;
  readonly #symbols = new Map<string, SymbolTrades>();

  constructor(settings: TradeFeedSettings, units: TradeFeedUnits) {
    this.#settings = settings;
    this.#units = units;
  }

  /** Whether trades are on for `symbol`. */
  has(symbol: string): boolean {
    return this.#settings.trades.symbols.includes(symbol);
  }

  /** When `symbol`'s trades are next due (epoch ms); `-Infinity` before the first poll. */
  dueAt(symbol: string): number {
    const polledAt = this.#state(symbol).polledAt;
    return polledAt === null ? Number.NEGATIVE_INFINITY : polledAt + this.#settings.trades.pollIntervalMs;
  }

  /** The share of `symbol`'s trades received (received / (received + missing)); 1 before any. */
  completeness(symbol: string): number {
    const { received, missing } = this.#state(symbol);
    return received + missing === 0 ? 1 : received / (received + missing);
  }

  /**
   * One poll of `symbol`'s trades (call it under the symbol's lock), from the last trade id on,
   * page after page until an answer is shorter than `trades.limit`, then the stall check. A
   * failure moves the failover ladder of the symbol, as a failed bar request does.
   */
  async cycle(symbol: string, signal: AbortSignal | undefined): Promise<void> {
    const { feed, clock } = this.#units;
    const state = this.#state(symbol);
    state.polledAt = clock.now();
    const ref = feed.toPoll(symbol)[0];
    if (ref === undefined) return;
    const streaming = state.streaming && ref.which === 'primary';
    const poll = ref.source.fetchTrades !== undefined && !streaming;
    // Whether the source has given every trade it has (an open stream is current by definition;
    // a source without trades at all, such as a backup with no `fetchTrades`, is never stalled).
    let caughtUp = streaming;
    for (let page = 0; poll && page < MAX_PAGES; page++) {
      if (state.from === null) state.from = this.#settings.start ?? bucketStart(clock.now(), this.#settings.base);
      const since = state.lastId === null ? state.from : null;
      const request = since === null ? { fromId: (state.lastId ?? 0) + 1 } : { since };
      const answer = await this.#fetch(symbol, ref, request, signal);
      if (answer === undefined) return;
      const before = state.lastId;
      // A gap not re-fetched (failed, throttled): the trades after it wait for the next cycle.
      if (!(await this.#take(symbol, ref, answer.rows, { streamed: false, since }, signal))) break;
      // Caught up: every trade some time before the request was sent has come, so the bars ending by then are whole.
      if ((Array.isArray(answer.rows) ? answer.rows.length : 0) < this.#settings.trades.limit) {
        this.#units.bars.close(symbol, answer.sentAt - LATE_TRADE_ALLOWANCE_MS);
        caughtUp = true;
        break;
      }
      if (state.lastId === before) break;
    }
    await this.#units.bars.compare(symbol, ref.source.name, clock.now());
    if (caughtUp) await this.#checkStall(symbol, ref);
  }

  /**
   * Takes a message of `symbol`'s trade stream from `ref` (one trade or an array of them; call it
   * under the symbol's lock) as a polled answer is taken: a jump in ids is re-fetched with
   * `fetchTrades`, when the source has it.
   */
  async streamed(symbol: string, ref: FeedSourceRef, message: unknown, signal: AbortSignal | undefined): Promise<void> {
    const state = this.#state(symbol);
    state.from ??= this.#settings.start ?? bucketStart(this.#units.clock.now(), this.#settings.base);
    // Before the first trade: those from `from` to the stream's first message are fetched first.
    if (state.lastId === null && ref.source.fetchTrades !== undefined) await this.#catchUp(symbol, ref, state.from, signal);
    await this.#take(symbol, ref, Array.isArray(message) ? message : [message], { streamed: true, since: null }, signal);
  }

  /**
   * Fetches `symbol`'s trades from `since` on, page after page (at most {@link MAX_PAGES}), before
   * its stream's first message is taken, so that the trades between the first request's time and
   * that message are not lost. A failed request ends it (the stream's trades are taken anyway).
   */
  async #catchUp(symbol: string, ref: FeedSourceRef, since: number, signal: AbortSignal | undefined): Promise<void> {
    const state = this.#state(symbol);
    for (let page = 0; page < MAX_PAGES; page++) {
      const asked = state.lastId === null ? since : null;
      const answer = await this.#fetch(symbol, ref, asked === null ? { fromId: (state.lastId ?? 0) + 1 } : { since: asked }, signal);
      if (answer === undefined) return;
      const before = state.lastId;
      if (!(await this.#take(symbol, ref, answer.rows, { streamed: false, since: asked }, signal))) return;
      if ((Array.isArray(answer.rows) ? answer.rows.length : 0) < this.#settings.trades.limit || state.lastId === before) return;
    }
  }

  /** Where `symbol`'s trade stream should start: the trade after the last taken, or the first request's time. */
  resumeFrom(symbol: string): Pick<TradesRequest, 'since' | 'fromId'> {
    const { lastId } = this.#state(symbol);
    if (lastId !== null) return { fromId: lastId + 1 };
    return { since: this.#settings.start ?? bucketStart(this.#units.clock.now(), this.#settings.base) };
  }

  /** Marks `symbol`'s trade stream open or closed. */
  setStreaming(symbol: string, open: boolean): void {
    this.#state(symbol).streaming = open;
  }

  /** The last trade id taken per symbol, for a checkpoint (`null` before the first). */
  lastTradeId(symbol: string): number | null | undefined {
    return this.has(symbol) ? this.#state(symbol).lastId : undefined;
  }

  /** Puts a checkpoint's last trade id of `symbol` back: its trades resume after it. */
  restore(symbol: string, lastId: number | null): void {
    this.#state(symbol).lastId = lastId;
  }

  #state(symbol: string): SymbolTrades {
    let state = this.#symbols.get(symbol);
    if (state === undefined) {
      state = newSymbolTrades();
      this.#symbols.set(symbol, state);
    }
    return state;
  }

  /** One `fetchTrades` through the feed controller; `undefined` when it failed or was throttled (the feed is told). */
  async #fetch(
    symbol: string,
    ref: FeedSourceRef,
    request: Pick<TradesRequest, 'since' | 'fromId'>,
    signal: AbortSignal | undefined,
  ): Promise<{ readonly rows: unknown; readonly sentAt: number } | undefined> {
    const { source } = ref;
    const limit = this.#settings.trades.limit;
    const answer = await this.#units.feed.callReporting(symbol, ref, tradesWeight(source), signal, (requestSignal) =>
      (source.fetchTrades as NonNullable<Source['fetchTrades']>)({
        symbol,
        ...request,
        limit,
        get signal() {
          return requestSignal();
        },
      }),
    );
    return answer === undefined ? undefined : { rows: answer.value, sentAt: answer.sentAt };
  }

  /**
   * Parse, validate, dedupe and order; re-fetch the gaps by id, page by page; deliver; build bars.
   * When a re-fetch fails or is throttled (or the page budget runs out), only the trades before
   * the first id not re-fetched are taken, so that `lastId` stays before it and the next request
   * asks for it again: a transient failure loses no trade. A stream cannot be asked again: its
   * trades after the gap are held and taken with its next batch, and after
   * {@link MAX_STREAM_RETRIES} such batches in a row the gap is given up as lost (reported).
   *
   * @param batch - Whether it came from a stream, and the `since` it was asked from (`null`: asked by id, or streamed).
   * @returns Whether the whole batch was taken (`false`: it was cut at a gap not re-fetched).
   */
  async #take(symbol: string, ref: FeedSourceRef, rows: unknown, batch: TakenBatch, signal: AbortSignal | undefined): Promise<boolean> {
    const { streamed } = batch;
    const state = this.#state(symbol);
    const consecutive = this.#settings.trades.consecutiveIds;
    const accepted = this.#accept(symbol, ref.source.name, rows);
    const first = sequenceTrades(state.lastId, streamed ? [...state.held, ...accepted] : accepted, consecutive);
    let { fresh } = first;
    let left: readonly TradeIdGap[] = [];
    let gaps = first.gaps;
    let refetched: readonly Tick[] = [];
    let cutAt: number | null = null;
    if (gaps.length > 0) {
      ({ ticks: refetched, cutAt } = await this.#refetchAll(symbol, ref, gaps, signal));
      // A stream cannot be asked again: after a few batches cut in a row, its gap is given up as lost.
      if (cutAt !== null && streamed && ++state.streamRetries >= MAX_STREAM_RETRIES) cutAt = null;
      ({ fresh, gaps: left } = sequenceTrades(state.lastId, [...fresh, ...refetched], consecutive));
      if (cutAt !== null) {
        const cut = cutAt;
        if (streamed) state.held = fresh.filter((t) => t.tradeId >= cut);
        fresh = fresh.filter((t) => t.tradeId < cut);
        gaps = gaps.flatMap((gap) => (gap.fromId < cut ? [{ fromId: gap.fromId, toId: Math.min(gap.toId, cut - 1) }] : []));
      }
    }
    if (cutAt === null) {
      state.streamRetries = 0;
      state.held = [];
    }
    state.received += fresh.length;
    this.#reportGaps(symbol, ref.source.name, tallyTradeGaps(gaps, left, refetched));
    const last = fresh.at(-1);
    if (last === undefined) return cutAt === null;
    await this.#units.delivery.deliver([{ kind: 'ticks', symbol, ticks: fresh }], signal);
    state.lastId = last.tradeId;
    state.lastTradeAt = last.timestamp;
    // From when the trades are complete: an answer asked from `since` has every trade from it on (a
    // source honours `since`); one asked by id or streamed has none before its first trade, so the
    // bucket of that trade may be partial (after a resume, or a stream's first message).
    this.#units.bars.add(symbol, fresh, batch.since ?? (fresh[0] as Tick).timestamp + 1);
    return cutAt === null;
  }

  /** The trades of an answer that parse and break no value rule; the others are reported (`rejected`, `invalid_bar` issue). */
  #accept(symbol: string, sourceName: string, rows: unknown): Tick[] {
    const parsed = parseTicks(rows, { coerce: true });
    const validation = validateTicks(parsed.rows);
    const refused = new Set<number>();
    for (const issue of validation.issues) if (!ORDER_RULES.has(issue.rule)) refused.add(issue.index);
    const issues = [...parsed.issues, ...validation.issues.filter((issue) => refused.has(issue.index))];
    if (issues.length > 0) {
      const count = parsed.rejected + refused.size;
      const { clock, emitter, issues: log } = this.#units;
      emitter.emit('rejected', {
        symbol,
        source: sourceName,
        issues: issues.map((issue) => ('code' in issue ? issue : { code: issue.rule, path: [issue.index], message: issue.message })),
      });
      log.note(symbol, {
        timestamp: isoUtc(clock.now()),
        type: 'invalid_bar',
        symbol,
        timeframe: this.#settings.base,
        resolution: 'removed',
        message: `${count} trade${count === 1 ? '' : 's'} from ${sourceName} refused: ${issues[0]?.message ?? ''}`,
      });
    }
    return refused.size === 0 ? parsed.rows : parsed.rows.filter((_, i) => !refused.has(i));
  }

  /**
   * Asks for the trades of `gaps` (in id order) by id, page after page until each gap's `toId`,
   * at most {@link MAX_PAGES} requests in all. A gap inside ids an earlier answer already covered
   * is not asked again (those ids do not exist at the source).
   */
  async #refetchAll(symbol: string, ref: FeedSourceRef, gaps: readonly TradeIdGap[], signal: AbortSignal | undefined): Promise<Refetched> {
    const ticks: Tick[] = [];
    if (ref.source.fetchTrades === undefined) return { ticks, cutAt: null };
    const limit = this.#settings.trades.limit;
    // Every id up to this one has been answered for (asked from below it, and an answer reached past it).
    let covered = Number.NEGATIVE_INFINITY;
    let pages = 0;
    for (const gap of gaps) {
      let fromId = Math.max(gap.fromId, covered + 1);
      while (fromId <= gap.toId) {
        if (pages++ >= MAX_PAGES) return { ticks, cutAt: fromId };
        const answer = await this.#fetch(symbol, ref, { fromId }, signal);
        if (answer === undefined) return { ticks, cutAt: fromId };
        const got = this.#accept(symbol, ref.source.name, answer.rows).filter((t) => t.tradeId >= fromId);
        ticks.push(...got.filter((t) => t.tradeId <= gap.toId));
        const highest = got.reduce((most, t) => Math.max(most, t.tradeId), Number.NEGATIVE_INFINITY);
        const count = Array.isArray(answer.rows) ? answer.rows.length : 0;
        // A short answer has everything from `fromId` on; a full one everything up to its highest id.
        covered = count < limit ? Number.POSITIVE_INFINITY : highest;
        if (!(highest >= fromId)) break;
        fromId = highest + 1;
      }
    }
    return { ticks, cutAt: null };
  }

  /** Emits a `tradeGap` event per gap of a batch (the completeness counted gap by gap) and notes one `gap_detected` issue for them all. */
  #reportGaps(symbol: string, sourceName: string, tallies: readonly TradeGapTally[]): void {
    const state = this.#state(symbol);
    const { emitter, issues, clock } = this.#units;
    for (const { gap, refetched, missing } of tallies) {
      state.missing += missing;
      const completeness = this.completeness(symbol);
      emitter.emit('tradeGap', { symbol, source: sourceName, fromId: gap.fromId, toId: gap.toId, refetched, missing, completeness });
    }
    const issue = tradeGapIssue(symbol, this.#settings.base, sourceName, tallies, clock.now());
    if (issue !== undefined) issues.note(symbol, issue);
  }

  /** A stall of `symbol`'s trades ({@link tradesStalled}) is a `stale` failure of `ref`. */
  async #checkStall(symbol: string, ref: FeedSourceRef): Promise<void> {
    const state = this.#state(symbol);
    const { trades, base, baseMs } = this.#settings;
    const facts = { since: state.lastTradeAt ?? state.from, now: this.#units.clock.now(), stallMs: trades.stallMs, base, baseMs };
    if (await tradesStalled(facts, () => this.#units.store.last(symbol, base))) this.#units.feed.stalled(symbol, ref.which);
  }
}

/** The rate-limit weight of one `fetchTrades` of `source`. */
function tradesWeight(source: Source): number {
  return source.tradesRequestWeight ?? source.requestWeight ?? 1;
}
