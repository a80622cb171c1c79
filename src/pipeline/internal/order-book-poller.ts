import type { DataIssue } from '../../errors/result.js';
import { isoUtc } from '../../internal/iso-utc.js';
import { buildOrderBookSummary } from '../../reports/build-order-book-summary.js';
import type { OrderBookConfig } from '../../schemas/config.js';
import type { OrderBook } from '../../schemas/order-book.js';
import { parseOrderBook } from '../../schemas/parse-order-book.js';
import type { Timeframe } from '../../time/timeframe.js';
import { validateOrderBook } from '../../validate/validate-order-book.js';
import type { Clock } from '../clock.js';
import type { DocumentRecord } from '../sink.js';
import type { Source } from '../source.js';
import type { Delivery } from './delivery.js';
import type { FeedController, FeedSourceRef } from './feed-controller.js';
import type { IssueLog } from './issue-log.js';
import type { PipelineEmitter } from './pipeline-emitter.js';

/** The units an {@link OrderBookPoller} works with. */
export interface OrderBookPollerUnits {
  readonly feed: FeedController;
  readonly delivery: Delivery;
  readonly issues: IssueLog;
  readonly emitter: PipelineEmitter;
  readonly clock: Clock;
}

/**
 * Owns order-book snapshots: every `orderBook.intervalMs` it asks the source the failover ladder
 * names (`fetchOrderBook` with `orderBook.depth`, through its rate limiter weighing
 * `orderBookWeight(depth)`, under the feed timeout); parses (`parseOrderBook`) and validates
 * (`validateOrderBook`, with `depthLevels` set to the depth asked: bids descending, asks
 * ascending, uncrossed, no side deeper than asked). A bad book is rejected (`rejected` event,
 * `invalid_bar` issue naming the rule) and delivers nothing; a good one goes to sinks as an
 * `orderBook` record followed by its summary, the `order_book` document (spread, mid, depth
 * within `orderBook.band` of mid). A failed request moves the symbol's failover ladder.
 */
export class OrderBookPoller {
  readonly #config: OrderBookConfig;
  readonly #base: Timeframe;
  readonly #units: OrderBookPollerUnits;
  /** Per symbol: when its book was last asked for (epoch ms). */
  readonly #polledAt = new Map<string, number>();
  /** Symbols whose books come from the primary's `subscribeOrderBook` right now (no poll then). */
  readonly #streaming = new Set<string>();

  constructor(config: OrderBookConfig, base: Timeframe, units: OrderBookPollerUnits) {
    this.#config = config;
    this.#base = base;
    this.#units = units;
  }

  /** Whether books are on for `symbol`. */
  has(symbol: string): boolean {
    return this.#config.symbols.includes(symbol);
  }

  /** When `symbol`'s next snapshot is due (epoch ms); `-Infinity` before the first. */
  dueAt(symbol: string): number {
    return (this.#polledAt.get(symbol) ?? Number.NEGATIVE_INFINITY) + this.#config.intervalMs;
  }

  /** The levels a side asked for (`orderBook.depth`). */
  get depth(): number {
    return this.#config.depth;
  }

  /** Marks `symbol`'s book stream as up (its snapshots come from it, so none is polled) or down. */
  setStreaming(symbol: string, on: boolean): void {
    if (on) this.#streaming.add(symbol);
    else this.#streaming.delete(symbol);
  }

  /** One snapshot of `symbol` (call it under the symbol's lock); none while its stream is up. */
  async cycle(symbol: string, signal: AbortSignal | undefined): Promise<void> {
    const { feed, clock } = this.#units;
    this.#polledAt.set(symbol, clock.now());
    if (this.#streaming.has(symbol)) return;
    const ref = feed.toPoll(symbol)[0];
    if (ref?.source.fetchOrderBook === undefined) return;
    const depth = this.#config.depth;
    const sent = await feed.callReporting(symbol, ref, depthWeight(ref.source, depth), signal, (requestSignal) =>
      (ref.source.fetchOrderBook as NonNullable<Source['fetchOrderBook']>)({
        symbol,
        depth,
        get signal() {
          return requestSignal();
        },
      }),
    );
    if (sent === undefined) return;
    await this.take(symbol, ref, sent.value, signal);
  }

  /** Takes one snapshot of `symbol` from `ref` (polled, or a message of `subscribeOrderBook`). */
  async take(symbol: string, ref: FeedSourceRef, answer: unknown, signal: AbortSignal | undefined): Promise<void> {
    const book = this.#accept(symbol, ref.source.name, answer);
    if (book === undefined) return;
    const summary: DocumentRecord = {
      kind: 'document',
      name: 'order_book',
      symbol,
      body: buildOrderBookSummary(book, { symbol, source: ref.source.name, band: this.#config.band }),
    };
    await this.#units.delivery.deliver([{ kind: 'orderBook', symbol, book }, summary], signal);
    this.#units.emitter.emit('document', summary);
  }

  /** The snapshot when it parses and breaks no rule; otherwise `undefined`, and it is reported. */
  #accept(symbol: string, sourceName: string, answer: unknown): OrderBook | undefined {
    const parsed = parseOrderBook(answer, { coerce: true });
    const book = parsed.rows[0];
    let refused: readonly DataIssue[] = parsed.issues;
    if (book !== undefined && refused.length === 0) {
      const asked = { ...book, depthLevels: this.#config.depth };
      const validation = validateOrderBook(asked);
      if (validation.valid) return asked;
      refused = validation.issues
        .filter((issue) => issue.severity === 'error')
        .map((issue) => ({ code: issue.rule, path: issue.side === undefined ? [] : [issue.side, issue.index], message: issue.message }));
    }
    const { emitter, issues, clock } = this.#units;
    emitter.emit('rejected', { symbol, source: sourceName, issues: refused });
    issues.note(symbol, {
      timestamp: isoUtc(clock.now()),
      type: 'invalid_bar',
      symbol,
      timeframe: this.#base,
      resolution: 'removed',
      message: `An order book from ${sourceName} was refused (${[...new Set(refused.map((i) => i.code))].join(', ')}): ${refused[0]?.message ?? 'no snapshot'}`,
    });
    return undefined;
  }
}

/** The rate-limit weight of one `fetchOrderBook` of `depth` levels from `source`. */
function depthWeight(source: Source, depth: number): number {
  return source.orderBookWeight?.(depth) ?? source.requestWeight ?? 1;
}
