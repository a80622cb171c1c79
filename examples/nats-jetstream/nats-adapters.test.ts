import { Pipeline, type RevisedBar } from 'market-data-pipeline';
import { ManualClock, SimulatedSource } from 'market-data-pipeline/testing';
import { jetstreamManager, StorageType } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeStoreContract } from '../../test/contracts/store-contract.js';
import { ensureNatsLayout } from './ensure-nats-layout.js';
import { escapeToken, unescapeToken } from './escape-token.js';
import { natsNames } from './nats-names.js';
import { NatsSink } from './nats-sink.js';
import { NatsStore } from './nats-store.js';
import { fnv1a32 } from './fnv1a32.js';
import { partitionOf } from './partition-of.js';
import { startNatsServer, type NatsServer } from './start-nats-server.js';

const MIN = 60_000;
const T0 = Date.UTC(2025, 0, 30);
const TIMEFRAMES = ['1m', '5m', '15m', '1H', '4H', '1D'] as const;

/** nats-server's `partition(8,1,2)` mapping of `md.in.<exchange>.<symbol>`, to compare `partitionOf` with. */
const MAPPING = `mappings = { "md.in.*.*": "md.part.{{partition(8,1,2)}}.{{wildcard(1)}}.{{wildcard(2)}}" }\n`;

let server: NatsServer;
let nc: NatsConnection;
let prefixes = 0;

beforeAll(async () => {
  server = await startNatsServer({ config: MAPPING });
  nc = await connect({ servers: server.url, timeout: 5000 });
}, 30_000);

afterAll(async () => {
  await nc?.close();
  await server?.stop();
});

/** Names under a new prefix, with every stream and bucket created. */
async function freshNames(): Promise<ReturnType<typeof natsNames>> {
  const names = natsNames(`t${++prefixes}`);
  await ensureNatsLayout(nc, names, { timeframes: TIMEFRAMES });
  return names;
}

function bar(timestamp: number, price: number, revision: number): RevisedBar {
  return { timestamp, open: price, high: price + 1, low: price - 1, close: price, volume: 10, revision };
}

describeStoreContract({
  name: 'NatsStore',
  create: async () => new NatsStore(nc, { names: await freshNames() }),
});

describe('ensureNatsLayout', () => {
  it('reports a stream update the server refuses instead of trying to add the stream again', async () => {
    const names = natsNames('refused');
    const jsm = await jetstreamManager(nc);
    // Someone created the 1m stream in memory; a stream's storage cannot be changed by an update.
    await jsm.streams.add({ name: names.barStream('1m'), subjects: [`${names.prefix}.bar.1m.*`], storage: StorageType.Memory });
    await expect(ensureNatsLayout(nc, names, { timeframes: ['1m'] })).rejects.toThrow(/storage/i);
  });
});

describe('escapeToken', () => {
  it('keeps letters, digits, _ and -, and writes every other byte as =XX, reversibly', () => {
    expect(escapeToken('BTCUSD')).toBe('BTCUSD');
    // '.' is 0x2E, '/' 0x2F, '=' 0x3D, '*' 0x2A, '>' 0x3E, ' ' 0x20 (ASCII); 'é' is C3 A9 in UTF-8.
    expect(escapeToken('BRK.B')).toBe('BRK=2EB');
    expect(escapeToken('BTC/USDT')).toBe('BTC=2FUSDT');
    expect(escapeToken('a=b* >é')).toBe('a=3Db=2A=20=3E=C3=A9');
    for (const text of ['BRK.B', 'BTC/USDT:USDT', 'a=b* >é', 'x_y-z']) expect(unescapeToken(escapeToken(text))).toBe(text);
  });
});

describe('partitionOf', () => {
  it('hashes with FNV-1a 32-bit (the published test vectors)', () => {
    // Fowler/Noll/Vo's FNV test vectors (draft-eastlake-fnv, test suite): FNV1a32("") = 0x811c9dc5,
    // "a" = 0xe40c292c, "foobar" = 0xbf9cf968.
    const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
    expect(fnv1a32(utf8(''))).toBe(0x811c9dc5);
    expect(fnv1a32(utf8('a'))).toBe(0xe40c292c);
    expect(fnv1a32(utf8('foobar'))).toBe(0xbf9cf968);
  });

  it("places every symbol where the server's own partition() mapping does", async () => {
    const symbols = Array.from({ length: 40 }, (_, i) => `SYM${i}USD`).concat(['BRK.B', 'BTC/USDT']);
    const seen = new Map<string, number>();
    const sub = nc.subscribe('md.part.>');
    const done = (async () => {
      for await (const message of sub) {
        const [, , part, , symbol] = message.subject.split('.');
        seen.set(unescapeToken(symbol ?? ''), Number(part));
        if (seen.size === symbols.length) break;
      }
    })();
    await nc.flush();
    for (const symbol of symbols) nc.publish(`md.in.binance.${escapeToken(symbol)}`, '');
    const timer = setTimeout(() => sub.unsubscribe(), 5000);
    await done;
    clearTimeout(timer);
    expect(seen.size).toBe(symbols.length);
    for (const symbol of symbols) expect(partitionOf('binance', symbol, 8), symbol).toBe(seen.get(symbol));
    expect(new Set(seen.values()).size).toBeGreaterThan(4);
  });
});

describe('NatsStore', () => {
  it('reads a series another store wrote from the server (a worker taking over needs no disk)', async () => {
    const names = await freshNames();
    const writer = new NatsStore(nc, { names });
    await writer.upsert('BRK.B', '1m', [bar(T0, 1, 0), bar(T0 + MIN, 2, 0), bar(T0 + 2 * MIN, 3, 0)]);
    await writer.upsert('BRK.B', '1m', [bar(T0 + MIN, 20, 1), bar(T0 + MIN, 5, 0)]);
    const reader = new NatsStore(nc, { names });
    expect(await reader.last('BRK.B', '1m')).toEqual(bar(T0 + 2 * MIN, 3, 0));
    expect(await reader.range('BRK.B', '1m', T0, T0 + 3 * MIN)).toEqual([bar(T0, 1, 0), bar(T0 + MIN, 20, 1), bar(T0 + 2 * MIN, 3, 0)]);
    expect(await reader.last('BRK.B', '5m')).toBeUndefined();
  });

  it('sets each bar stream’s max_age from the specification’s retention table', async () => {
    const names = await freshNames();
    const jsm = await jetstreamManager(nc);
    const DAY_NS = 86_400 * 1e9;
    const ages: Record<string, number> = {};
    for (const tf of TIMEFRAMES) ages[tf] = (await jsm.streams.info(names.barStream(tf))).config.max_age / DAY_NS;
    // Specification: 1m 90 days, 5m 180, 15m 365, 1H 730, 4H and 1D unlimited (max_age 0).
    expect(ages).toEqual({ '1m': 90, '5m': 180, '15m': 365, '1H': 730, '4H': 0, '1D': 0 });
  });

  it('fails an upsert the fence rejects and publishes nothing', async () => {
    const names = await freshNames();
    const store = new NatsStore(nc, {
      names,
      fence: () => {
        throw new Error('lease lost');
      },
    });
    await expect(store.upsert('BTCUSD', '1m', [bar(T0, 1, 0)])).rejects.toThrow('lease lost');
    expect(await new NatsStore(nc, { names }).last('BTCUSD', '1m')).toBeUndefined();
  });

  it('stops publishing where the lease lapses halfway through an upsert: nothing after that point lands', async () => {
    const names = await freshNames();
    // The fence is checked before the load, after it, then before each publish: it holds for the
    // two checks and the first 5 bars' publishes, then lapses.
    let checks = 0;
    const store = new NatsStore(nc, {
      names,
      fence: () => {
        if (++checks > 2 + 5) throw new Error('lease lost');
      },
    });
    const bars = Array.from({ length: 10 }, (_, i) => bar(T0 + i * MIN, i + 1, 0));
    await expect(store.upsert('BTCUSD', '1m', bars)).rejects.toThrow('lease lost');
    const stored = await new NatsStore(nc, { names }).range('BTCUSD', '1m', T0, T0 + 10 * MIN);
    expect(stored).toEqual(bars.slice(0, 5));
  });

  it('checks the fence again after loading the series, before publishing', async () => {
    const names = await freshNames();
    let held = true;
    await new NatsStore(nc, { names }).upsert('BTCUSD', '1m', [bar(T0, 1, 0)]);
    const late = new NatsStore(nc, {
      names,
      fence: () => {
        if (!held) throw new Error('lease lost');
      },
    });
    // The load of a series takes a while; the lease lapses meanwhile.
    const loading = late.upsert('BTCUSD', '1m', [bar(T0 + MIN, 2, 0)]);
    held = false;
    await expect(loading).rejects.toThrow('lease lost');
    expect(await new NatsStore(nc, { names }).last('BTCUSD', '1m')).toEqual(bar(T0, 1, 0));
  });
});

describe('NatsSink', () => {
  it('stops writing where the lease lapses halfway through a batch: no later bar, alert or document lands', async () => {
    const names = await freshNames();
    // The fence is checked before each publish and each document write: it holds for 3 bars.
    let checks = 0;
    const sink = new NatsSink(nc, {
      names,
      maxInFlight: 2,
      fence: () => {
        if (++checks > 3) throw new Error('lease lost');
      },
    });
    const bars = Array.from({ length: 8 }, (_, i) => bar(T0 + i * MIN, i + 1, 0));
    const write = sink.writeMany(
      [
        { kind: 'bars', symbol: 'BTCUSD', timeframe: '1m', bars },
        { kind: 'document', name: 'latest_ohlcv', symbol: 'BTCUSD', body: { symbol: 'BTCUSD' } },
      ] as never,
      { signal: new AbortController().signal },
    );
    await expect(write).rejects.toThrow('lease lost');
    // Retryable: a stall with a valid lease passes at the pipeline's retry instead of dead-lettering.
    await expect(write).rejects.toMatchObject({ retryable: true });
    const stored = await new NatsStore(nc, { names }).range('BTCUSD', '1m', T0, T0 + 8 * MIN);
    expect(stored).toEqual(bars.slice(0, 3));
    const kv = await new Kvm(nc).open(names.documentBucket);
    expect(await kv.get('latest_ohlcv.BTCUSD')).toBeNull();
  });

  it('writes a fenced document with compare-and-set: a dead owner’s late write does not overwrite the new owner’s', async () => {
    const names = await freshNames();
    const signal = new AbortController().signal;
    const doc = (owner: string): never => ({ kind: 'document', name: 'latest_ohlcv', symbol: 'BTCUSD', body: { owner } }) as never;
    // The old owner's fence still passes: its check ran before the lease lapsed, its put lands late.
    const old = new NatsSink(nc, { names, fence: () => undefined });
    await old.writeMany([doc('old')], { signal });
    const heir = new NatsSink(nc, { names, fence: () => undefined });
    await heir.writeMany([doc('heir')], { signal });
    await expect(old.writeMany([doc('old, late')], { signal })).rejects.toThrow();
    const kv = await new Kvm(nc).open(names.documentBucket);
    expect((await kv.get('latest_ohlcv.BTCUSD'))?.json()).toEqual({ owner: 'heir' });
  });
  it('publishes a pipeline’s bars once each (de-duplicated by Nats-Msg-Id), documents to KV, alerts to their subject', async () => {
    const names = await freshNames();
    const clock = new ManualClock(T0 + 30 * MIN + 1000);
    const symbols = ['BTCUSD', 'BRK.B'];
    const primary = new SimulatedSource({ clock, symbols, generate: { start: T0, count: 60 } });
    const sink = new NatsSink(nc, { names, scope: 'p0' });
    const pipeline = new Pipeline({
      primary,
      sinks: [sink],
      clock,
      start: T0,
      random: () => 0.5,
      config: { symbols, timeframes: ['1m', '5m'] },
    });
    await pipeline.runOnce();
    await pipeline.flush();
    await pipeline.stop();
    // Writing the same bars again (a retry) stores nothing new.
    const again = await new NatsStore(nc, { names }).range('BTCUSD', '1m', T0, T0 + 30 * MIN);
    await sink.writeMany([{ kind: 'bars', symbol: 'BTCUSD', timeframe: '1m', bars: again }], { signal: new AbortController().signal });
    const jsm = await jetstreamManager(nc);
    // 30 closed 1m bars (00:00..00:29) and 6 closed 5m bars per symbol, at revision 0.
    expect((await jsm.streams.info(names.barStream('1m'))).state.messages).toBe(60);
    expect((await jsm.streams.info(names.barStream('5m'))).state.messages).toBe(12);
    const store = new NatsStore(nc, { names });
    expect((await store.range('BRK.B', '1m', T0, T0 + 30 * MIN)).map((b) => b.timestamp)).toEqual(
      Array.from({ length: 30 }, (_, i) => T0 + i * MIN),
    );
    const kv = await new Kvm(nc).open(names.documentBucket);
    const keys: string[] = [];
    for await (const key of await kv.keys()) keys.push(key);
    expect(keys.sort()).toEqual([
      'data_status.p0',
      'latest_ohlcv.BRK=2EB',
      'latest_ohlcv.BTCUSD',
      'market_context.BRK=2EB',
      'market_context.BTCUSD',
      'quality_report.p0',
    ]);
    const latest = (await kv.get('latest_ohlcv.BTCUSD'))?.json<{ symbol: string }>();
    expect(latest?.symbol).toBe('BTCUSD');
  });

  it('publishes alerts to md.alert.<severity> once per partition and alert id, and datasets to md.response.<request id>', async () => {
    const names = await freshNames();
    const alert = {
      alert_id: 'DATA-ALERT-001',
      timestamp: '2025-01-30T00:30:00Z',
      severity: 'warning',
      type: 'gap',
      message: 'gap',
      affected: { symbol: 'BTCUSD' },
      action_taken: 'forward_filled',
      escalate: false,
    } as const;
    const record = { kind: 'alert', alert } as const;
    const signal = new AbortController().signal;
    const p0 = new NatsSink(nc, { names, scope: 'p0' });
    await p0.writeMany([record], { signal });
    await p0.write(record, { signal }); // a retry: de-duplicated
    // Another partition's pipeline numbers its alerts from 1 too: its DATA-ALERT-001 is another alert.
    await new NatsSink(nc, { names, scope: 'p1' }).writeMany([record], { signal });
    // So does a new owner of p1 (another lease revision, the epoch), resuming from an older checkpoint.
    await new NatsSink(nc, { names, scope: 'p1', epoch: 7 }).writeMany([record], { signal });
    await new NatsSink(nc, { names, scope: 'p1', epoch: 9 }).writeMany([record], { signal });
    const jsm = await jetstreamManager(nc);
    const events = await jsm.streams.info(names.eventStream);
    expect(events.state.messages).toBe(4);
    expect((await jsm.streams.getMessage(names.eventStream, { seq: 1 }))?.subject).toBe(`${names.prefix}.alert.warning`);
    const result = await p0.write(
      {
        kind: 'dataset',
        requestId: 'req-1',
        symbol: 'BTCUSD',
        timeframe: '1m',
        format: 'json',
        path: 'data/x.json',
        bars: [bar(T0, 1, 0)],
      },
      { signal },
    );
    expect(result).toEqual({ outputPath: `nats:${names.prefix}.response.req-1` });
    const response = await jsm.streams.getMessage(names.eventStream, { last_by_subj: `${names.prefix}.response.req-1` });
    expect(response?.json<{ bars: RevisedBar[] }>().bars).toEqual([bar(T0, 1, 0)]);
  });
});
