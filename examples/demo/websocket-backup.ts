import type { Ohlcv, Source } from 'market-data-pipeline';
import { BinanceWsTestServer } from '../binance-test-server/binance-ws-test-server.js';
import { BinanceWsSource } from '../binance-ws-source/binance-ws-source.js';

const MINUTE = 60_000;

/** The demo's websocket backup: a local stream server, what feeds it, and the source reading it. */
export interface WebsocketBackup {
  /** The pipeline's backup: a {@link BinanceWsSource} on the local server. */
  readonly source: BinanceWsSource;
  /** The server's URL. */
  readonly url: string;
  /**
   * Publishes the 1m bar of each symbol that closed at `closedAt` (what the simulated exchange
   * has for it: nothing for a bar it lacks) as a closed kline, and waits until the source
   * received it.
   *
   * @param closedAt - The bar's close time (its open time + 1 minute), epoch ms.
   * @throws Error when the source has not received it within `waitMs`.
   */
  readonly publish: (closedAt: number) => Promise<void>;
  /** Closes the source and the server (once: later calls share the first one's promise). */
  readonly close: () => Promise<void>;
}

/** The demo's spelling of a symbol at Binance: `BTCUSD` → `BTCUSDT`; the source and the server share it. */
function binanceSymbol(symbol: string): string {
  return `${symbol}T`;
}

/**
 * Starts the specification's websocket backup for the demo: a local server in Binance's stream
 * format, fed minute by minute with the bars `exchange` (the simulated backup provider) has,
 * and a {@link BinanceWsSource} named `name` watching every symbol's 1m klines on it (the
 * symbols are spelled at Binance by the source's `symbolMap`, `BTCUSD` → `BTCUSDT`, which the
 * server's klines use too). Whatever it opened is closed again when it throws.
 *
 * @param exchange - The simulated provider whose bars go out on the stream.
 * @param symbols - The pipeline's symbols.
 * @param now - The demo's clock, epoch ms: the source judges forming klines by it.
 * @param waitMs - How long the connection, and `publish` for the source to receive a kline, may take, ms.
 * @returns The backup, connected.
 * @throws Error when the source did not connect within `waitMs` (the server and source closed).
 */
export async function startWebsocketBackup(
  exchange: Source,
  symbols: readonly string[],
  name: string,
  now: () => number,
  waitMs = 5000,
): Promise<WebsocketBackup> {
  const server = await BinanceWsTestServer.start();
  let source: BinanceWsSource | undefined;
  try {
    source = new BinanceWsSource({ name, baseUrl: server.url, now, symbolMap: binanceSymbol });
    for (const symbol of symbols) source.watch(symbol, '1m');
    const streams = symbols.map((symbol) => `${binanceSymbol(symbol).toLowerCase()}@kline_1m`);
    const connected = Date.now() + waitMs;
    while (!server.connections.some((c) => c.open && streams.every((s) => c.streams.has(s)))) {
      if (Date.now() > connected) throw new Error(`the websocket backup did not connect within ${waitMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  } catch (error) {
    source?.close();
    await server.close();
    throw error;
  }
  const opened = source;
  const publish = async (closedAt: number): Promise<void> => {
    const open = closedAt - MINUTE;
    const sent: string[] = [];
    for (const symbol of symbols) {
      const answer = await exchange.fetchOhlcv({ symbol, timeframe: '1m', since: open, limit: 1 });
      const rows = (Array.isArray(answer) ? answer : (answer as { rows: readonly unknown[] }).rows) as readonly Ohlcv[];
      const bar = rows.find((row) => row.timestamp === open);
      if (bar === undefined) continue;
      server.kline(binanceSymbol(symbol), '1m', bar, true);
      sent.push(symbol);
    }
    const deadline = Date.now() + waitMs;
    while (sent.some((symbol) => (opened.newestClosed(symbol, '1m') ?? Number.NEGATIVE_INFINITY) < open)) {
      if (Date.now() > deadline)
        throw new Error(`the websocket backup did not receive the ${new Date(open).toISOString()} bar within ${waitMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  };
  let closing: Promise<void> | undefined;
  return {
    source: opened,
    url: server.url,
    publish,
    close: () => {
      closing ??= (async () => {
        opened.close();
        await server.close();
      })();
      return closing;
    },
  };
}
