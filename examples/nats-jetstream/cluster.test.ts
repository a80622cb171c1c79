import type { Pipeline, PipelineCheckpoint } from 'market-data-pipeline';
import { Kvm, type KV } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CheckpointSlot } from './checkpoint-slot.js';
import { ensureNatsLayout } from './ensure-nats-layout.js';
import { liveWorkers } from './live-workers.js';
import { natsNames } from './nats-names.js';
import { NatsStore } from './nats-store.js';
import { PartitionLease } from './partition-lease.js';
import { runCluster } from './run-cluster.js';
import { startNatsServer, type NatsServer } from './start-nats-server.js';
import { Worker, type WorkerEvent } from './worker.js';

const TTL = 2000;
const T0 = Date.UTC(2025, 0, 30);

let server: NatsServer;
let nc: NatsConnection;

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connect({ servers: server.url, timeout: 5000 });
}, 30_000);

afterAll(async () => {
  await nc?.close();
  await server?.stop();
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('PartitionLease', () => {
  it('is taken by create, renewed by update with the revision, and expires one TTL after its last renewal', async () => {
    const names = natsNames('lease');
    await ensureNatsLayout(nc, names, { timeframes: ['1m'], leaseTtlMs: TTL });
    const kv = await new Kvm(nc).open(names.leaseBucket);
    const a = new PartitionLease(kv, 'partition.0', 'a', TTL);
    const b = new PartitionLease(kv, 'partition.0', 'b', TTL);
    expect(await a.acquire()).toBe(true);
    expect(await b.acquire()).toBe(false);
    await sleep(TTL / 2);
    expect(await a.renew()).toBe(true);
    await sleep(TTL / 2 + 300);
    // 1.3 TTL after the acquisition, but 0.8 TTL after the renewal: still a's.
    expect(await b.acquire()).toBe(false);
    expect((await kv.get('partition.0'))?.string()).toBe('a');
    // a stops renewing: its own view lapses before the server's (ttl - margin), then b can take it.
    await sleep(TTL / 2);
    expect(a.held).toBe(false);
    const deadline = Date.now() + 3 * TTL;
    while (!(await b.acquire()) && Date.now() < deadline) await sleep(100);
    expect(b.held).toBe(true);
    // The old holder's renewal fails: someone else wrote the key.
    expect(await a.renew()).toBe(false);
    expect((await kv.get('partition.0'))?.string()).toBe('b');
  }, 20_000);

  it('measures held on a monotonic clock: a wall-clock step does not extend it', async () => {
    const names = natsNames('mono');
    await ensureNatsLayout(nc, names, { timeframes: ['1m'], leaseTtlMs: TTL });
    const kv = await new Kvm(nc).open(names.leaseBucket);
    const lease = new PartitionLease(kv, 'partition.0', 'a', TTL);
    expect(await lease.acquire()).toBe(true);
    await sleep(TTL);
    // One TTL later NTP steps the wall clock back an hour: a Date.now() deadline would then lie an
    // hour ahead, and held would stay true long after the TTL. (Mocked only for this synchronous
    // read: the NATS client's own timers read Date.now too.)
    const wall = vi.spyOn(Date, 'now').mockReturnValue(Date.now() - 3_600_000);
    const held = lease.held;
    wall.mockRestore();
    expect(held).toBe(false);
  }, 20_000);

  it('fences a holder that lost its lease: its store and checkpoint writes fail, the new owner’s stand', async () => {
    const names = natsNames('fence');
    await ensureNatsLayout(nc, names, { timeframes: ['1m'], leaseTtlMs: TTL });
    const kvm = new Kvm(nc);
    const leases = await kvm.open(names.leaseBucket);
    const checkpoints = await kvm.open(names.checkpointBucket);
    const zombie = new PartitionLease(leases, 'partition.1', 'zombie', TTL);
    expect(await zombie.acquire()).toBe(true);
    const zombieSlot = new CheckpointSlot(checkpoints, 'partition.1', zombie);
    await zombieSlot.load();
    await zombieSlot.save({ version: 1, at: 1, symbols: {}, limiters: {}, alertSequence: 0, pending: {} });
    const zombieStore = new NatsStore(nc, { names, fence: () => zombie.assertHeld() });
    // The zombie pauses past its TTL (a GC pause, a stopped VM); the heir takes the partition.
    const heir = new PartitionLease(leases, 'partition.1', 'heir', TTL);
    const deadline = Date.now() + 3 * TTL;
    while (!(await heir.acquire()) && Date.now() < deadline) await sleep(100);
    expect(heir.held).toBe(true);
    const heirSlot = new CheckpointSlot(checkpoints, 'partition.1', heir);
    expect((await heirSlot.load())?.at).toBe(1);
    await heirSlot.save({ version: 1, at: 2, symbols: {}, limiters: {}, alertSequence: 0, pending: {} });
    // The zombie wakes: nothing it writes lands.
    const bar = { timestamp: T0, open: 1, high: 1, low: 1, close: 1, volume: 1, revision: 0 };
    await expect(zombieStore.upsert('BTCUSD', '1m', [bar])).rejects.toThrow('no longer holds');
    // Its checkpoint write is refused by its own lease check (it knows its lease lapsed).
    await expect(zombieSlot.save({ version: 1, at: 3, symbols: {}, limiters: {}, alertSequence: 0, pending: {} })).rejects.toThrow(
      'no longer holds',
    );
    // Its lease renewal is refused by compare-and-set: the heir wrote the key.
    expect(await zombie.renew()).toBe(false);
    expect(JSON.parse((await checkpoints.get('partition.1'))?.string() ?? '{}')).toMatchObject({ at: 2 });
    expect(await new NatsStore(nc, { names }).last('BTCUSD', '1m')).toBeUndefined();
  }, 20_000);

  it('fences the checkpoint by compare-and-set at takeover, even for a zombie that still believes it holds the lease', async () => {
    const names = natsNames('claim');
    await ensureNatsLayout(nc, names, { timeframes: ['1m'], leaseTtlMs: TTL });
    const kvm = new Kvm(nc);
    const leases = await kvm.open(names.leaseBucket);
    const checkpoints = await kvm.open(names.checkpointBucket);
    // The zombie's own view of the TTL is 60 times too long (a paused process whose check ran
    // before the pause): its `held` stays true throughout, so only compare-and-set can stop it.
    const zombie = new PartitionLease(leases, 'partition.2', 'zombie', 60 * TTL);
    expect(await zombie.acquire()).toBe(true);
    const zombieSlot = new CheckpointSlot(checkpoints, 'partition.2', zombie);
    expect(await zombieSlot.load()).toBeUndefined();
    await zombieSlot.save({ version: 1, at: 1, symbols: {}, limiters: {}, alertSequence: 0, pending: {} });
    const heir = new PartitionLease(leases, 'partition.2', 'heir', TTL);
    const deadline = Date.now() + 3 * TTL;
    while (!(await heir.acquire()) && Date.now() < deadline) await sleep(100);
    expect(heir.held).toBe(true);
    // The heir only loads (it has not saved yet): loading claims the checkpoint.
    expect((await new CheckpointSlot(checkpoints, 'partition.2', heir).load())?.at).toBe(1);
    expect(zombie.held).toBe(true);
    await expect(zombieSlot.save({ version: 1, at: 3, symbols: {}, limiters: {}, alertSequence: 0, pending: {} })).rejects.toThrow();
    expect(JSON.parse((await checkpoints.get('partition.2'))?.string() ?? '{}')).toMatchObject({ at: 1 });
  }, 20_000);
});

describe('liveWorkers', () => {
  it('counts the worker.* entries of the lease bucket, and nothing else', async () => {
    const names = natsNames('live');
    await ensureNatsLayout(nc, names, { timeframes: ['1m'], leaseTtlMs: TTL });
    const leases = await new Kvm(nc).open(names.leaseBucket);
    expect(await liveWorkers(leases, TTL)).toBe(0);
    await leases.put('worker.a', 'a');
    await leases.put('worker.b', 'b');
    await leases.put('partition.0', 'a');
    expect(await liveWorkers(leases, TTL)).toBe(2);
    await leases.delete('worker.a');
    expect(await liveWorkers(leases, TTL)).toBe(1);
  }, 20_000);

  it('gives up a listing that never ends (no last key, no heartbeat) after its deadline', async () => {
    // A listing that yields nothing and never ends, as `KV.keys()` does when the key it waits for expired first.
    let fail: (error: Error) => void = () => undefined;
    const ended = new Promise<IteratorResult<string>>((_, reject) => (fail = reject));
    const listing = {
      stop: (error: Error) => fail(error),
      [Symbol.asyncIterator]: () => ({ next: () => ended }),
    };
    const leases = { keys: () => Promise.resolve(listing) } as unknown as KV;
    const started = performance.now();
    await expect(liveWorkers(leases, 200)).rejects.toThrow('Listing the live workers took more than 200 ms');
    expect(performance.now() - started).toBeGreaterThanOrEqual(199);
  });
});

describe('Worker', () => {
  it('uses the lease bucket’s max_age, and says so, when its leaseTtlMs differs', async () => {
    const names = natsNames('ttl');
    await ensureNatsLayout(nc, names, { timeframes: ['1m'], leaseTtlMs: TTL });
    const events: WorkerEvent[] = [];
    const checkpoint: PipelineCheckpoint = { version: 1, at: 1, symbols: {}, limiters: {}, alertSequence: 0, pending: {} };
    const pipeline = (): Pipeline =>
      ({
        on: () => () => undefined,
        start: () => undefined,
        checkpoint: () => checkpoint,
        flush: () => Promise.resolve(),
        stop: () => Promise.resolve(),
      }) as unknown as Pipeline;
    // Configured for 10 TTLs: renewing every 10 TTL / 3 would let the bucket's leases expire between renewals.
    const worker = new Worker(nc, {
      id: 'w1',
      exchange: 'simex',
      symbols: ['BTCUSD'],
      partitions: 1,
      names,
      leaseTtlMs: 10 * TTL,
      pipeline,
      onEvent: (event) => events.push(event),
    });
    worker.start();
    try {
      const deadline = Date.now() + 3 * TTL;
      while (worker.partitions.length < 1 && Date.now() < deadline) await sleep(50);
      expect(worker.partitions).toEqual([0]);
      await sleep(2 * TTL);
      expect(events.filter((event) => event.kind === 'lost')).toEqual([]);
      expect(events.some((event) => event.kind === 'error' && String(event.error).includes(`max_age is ${TTL} ms`))).toBe(true);
    } finally {
      await worker.stop();
    }
  }, 30_000);

  it('keeps renewing its other leases while a lost partition’s pipeline hangs in stop() (a sink that never answers)', async () => {
    const names = natsNames('hang');
    await ensureNatsLayout(nc, names, { timeframes: ['1m'], leaseTtlMs: TTL });
    const leases = await new Kvm(nc).open(names.leaseBucket);
    const checkpoint: PipelineCheckpoint = { version: 1, at: 1, symbols: {}, limiters: {}, alertSequence: 0, pending: {} };
    let unhang = (): void => undefined;
    const hung = new Promise<void>((resolve) => (unhang = resolve));
    // Stand-ins for pipelines: partition 0's stop() and flush() wait for its sink, which never answers (until the test ends).
    const pipeline = ({ partition }: { partition: number }): Pipeline =>
      ({
        on: () => () => undefined,
        start: () => undefined,
        checkpoint: () => checkpoint,
        flush: () => (partition === 0 ? hung : Promise.resolve()),
        stop: () => (partition === 0 ? hung : Promise.resolve()),
      }) as unknown as Pipeline;
    const events: WorkerEvent[] = [];
    const worker = new Worker(nc, {
      id: 'w1',
      exchange: 'simex',
      symbols: Array.from({ length: 20 }, (_, i) => `H${i}USD`),
      partitions: 2,
      names,
      leaseTtlMs: TTL,
      checkpointMs: 60_000,
      pipeline,
      onEvent: (event) => events.push(event),
    });
    worker.start();
    try {
      const deadline = Date.now() + 3 * TTL;
      while (worker.partitions.length < 2 && Date.now() < deadline) await sleep(50);
      expect(worker.partitions).toEqual([0, 1]);
      // Someone else writes partition 0's lease: the worker's next renewal of it fails, and it stops that pipeline.
      await leases.put('partition.0', 'thief');
      const heldBefore = (await leases.get('partition.1'))!.revision;
      // Two TTLs: partition 1's lease expires unless it is renewed meanwhile.
      await sleep(2 * TTL);
      expect(events).toContainEqual({ kind: 'lost', partition: 0 });
      const entry = await leases.get('partition.1');
      expect(entry?.string()).toBe('w1');
      expect(entry!.revision).toBeGreaterThan(heldBefore);
      expect(worker.partitions).toContain(1);
      // stop() settles although partition 0's pipeline never stops: it is left behind after a TTL, and said so.
      const stopped = await Promise.race([worker.stop().then(() => true), sleep(10 * TTL).then(() => false)]);
      expect(stopped).toBe(true);
      expect(events.some((event) => event.kind === 'error' && String(event.error).includes('did not stop within'))).toBe(true);
    } finally {
      unhang();
      await worker.stop();
    }
  }, 60_000);
});

describe('Worker (kill-a-worker integration)', () => {
  it('hands a SIGKILLed worker’s partitions to the others within a lease TTL and a round; the agent gets every bar once', async () => {
    const report = await runCluster(server, {
      prefix: 'cluster',
      workers: 3,
      symbols: 12,
      partitions: 6,
      leaseTtlMs: TTL,
      killAfterMs: 2000,
      runAfterMs: 4000,
    });
    const orphans = [...(report.before[report.killed] ?? [])].sort((a, b) => a - b);
    expect(orphans.length).toBeGreaterThan(0);
    expect(report.takeover.flatMap((t) => t.partitions).sort((a, b) => a - b)).toEqual(orphans);
    for (const t of report.takeover) {
      expect(t.worker).not.toBe(report.killed);
      expect(t.resumed).toBe(true);
      // The lease was renewed at most a round (TTL/3) before the kill, so it expires at most a TTL
      // after it; the others see it at their next round (another TTL/3). 2 s of slack for a loaded machine.
      expect(t.afterMs).toBeLessThan(TTL + (2 * TTL) / 3 + 2000);
    }
    // No worker error and no dead letter: a fenced write is retried, not given up.
    expect(report.errors).toEqual([]);
    const { account } = report;
    expect(account.missing).toEqual([]);
    expect(account.wrong).toEqual([]);
    // 12 symbols, from 00:00 to `until`: every 1m and 5m bar, each kept once.
    expect(account.keys).toBeGreaterThanOrEqual(account.expected);
    expect(account.expected).toBeGreaterThan(12 * 30);
  }, 90_000);
});
