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
  /** Closes the source and the server. */
  readonly close: () => Promise<void>;
}

/**
 * Starts the specification's websocket backup for the demo: a local server in Binance's stream
 * format, fed minute by minute with the bars `exchange` (the simulated backup provider) has,
 * and a {@link BinanceWsSource} named `name` watching every symbol's 1m klines on it (the
 * symbols are spelled as Binance's source maps them: `BTCUSD` → `BTCUSDT`).
 *
 * @param exchange - The simulated provider whose bars go out on the stream.
 * @param symbols - The pipeline's symbols.
 * @param waitMs - How long `publish` waits for the source to receive a kline, ms.
 * @returns The backup, connected.
 */
export async function startWebsocketBackup(
  exchange: Source,
  symbols: readonly string[],
  name: string,
  waitMs = 5000,
): Promise<WebsocketBackup> {
  const server = await BinanceWsTestServer.start();
  const source = new BinanceWsSource({ name, baseUrl: server.url });
  for (const symbol of symbols) source.watch(symbol, '1m');
  const streams = symbols.map((symbol) => `${symbol.toLowerCase()}t@kline_1m`);
  const connected = Date.now() + waitMs;
  while (!server.connections.some((c) => c.open && streams.every((s) => c.streams.has(s)))) {
    if (Date.now() > connected) throw new Error(`the websocket backup did not connect within ${waitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  const publish = async (closedAt: number): Promise<void> => {
    const open = closedAt - MINUTE;
    const sent: string[] = [];
    for (const symbol of symbols) {
      const answer = await exchange.fetchOhlcv({ symbol, timeframe: '1m', since: open, limit: 1 });
      const rows = (Array.isArray(answer) ? answer : (answer as { rows: readonly unknown[] }).rows) as readonly Ohlcv[];
      const bar = rows.find((row) => row.timestamp === open);
      if (bar === undefined) continue;
      server.kline(`${symbol}T`, '1m', bar, true);
      sent.push(symbol);
    }
    const deadline = Date.now() + waitMs;
    while (sent.some((symbol) => (source.newestClosed(symbol, '1m') ?? Number.NEGATIVE_INFINITY) < open)) {
      if (Date.now() > deadline)
        throw new Error(`the websocket backup did not receive the ${new Date(open).toISOString()} bar within ${waitMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  };
  return {
    source,
    url: server.url,
    publish,
    close: async () => {
      source.close();
      await server.close();
    },
  };
}
