import type { Pipeline, PipelineCheckpoint } from 'market-data-pipeline';
import { Kvm, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { CheckpointSlot } from './checkpoint-slot.js';
import { liveWorkers } from './live-workers.js';
import { natsNames, type NatsNames } from './nats-names.js';
import { NatsSink } from './nats-sink.js';
import { NatsStore } from './nats-store.js';
import { PartitionLease } from './partition-lease.js';
import { partitionOf } from './partition-of.js';

/** What a worker hands its pipeline factory for one partition. */
export interface PartitionParts {
  /** The partition. */
  readonly partition: number;
  /** Its symbols (those whose `partitionOf(exchange, symbol, partitions)` is `partition`). */
  readonly symbols: readonly string[];
  /** A `NatsStore` fenced by the partition's lease (checked before each write, each write given at most the lease's margin). */
  readonly store: NatsStore;
  /** A `NatsSink` (bars off: the store publishes them) fenced like the store, documents scoped `p<partition>` and written with compare-and-set. */
  readonly sink: NatsSink;
  /** The partition's last checkpoint, when it had one: give it to the pipeline to resume. */
  readonly checkpoint?: PipelineCheckpoint;
}

/** What a worker reports. */
export type WorkerEvent =
  | { readonly kind: 'acquired'; readonly partition: number; readonly symbols: readonly string[]; readonly resumed: boolean }
  | { readonly kind: 'lost'; readonly partition: number }
  | { readonly kind: 'released'; readonly partition: number }
  | { readonly kind: 'error'; readonly partition: number | undefined; readonly error: unknown }
  | { readonly kind: 'deadLetter'; readonly partition: number; readonly sink: string; readonly error: unknown };

/** Options of {@link Worker}. */
export interface WorkerOptions {
  /** This worker's id (unique among live workers). */
  readonly id: string;
  /** The exchange, hashed with each symbol into its partition. */
  readonly exchange: string;
  /** Every symbol of the deployment. */
  readonly symbols: readonly string[];
  /** The number of partitions (the same in every worker). */
  readonly partitions: number;
  /** Builds a partition's pipeline from its parts (sources, clock and config are yours). */
  readonly pipeline: (parts: PartitionParts) => Pipeline;
  /** Where things live (the layout must exist: `ensureNatsLayout`). @defaultValue natsNames('md') */
  readonly names?: NatsNames;
  /**
   * The lease TTL, ms: the lease bucket's `max_age` given to `ensureNatsLayout`. When the bucket's
   * differs (an existing bucket keeps its own), the worker reports an `error` event and uses the
   * bucket's; a bucket without `max_age` stops the worker. @defaultValue 10000
   */
  readonly leaseTtlMs?: number;
  /** How often held partitions' checkpoints are written, ms. @defaultValue leaseTtlMs / 2 */
  readonly checkpointMs?: number;
  /** Told of every acquisition, loss, release, error and dead letter (a record a sink gave up on). */
  readonly onEvent?: (event: WorkerEvent) => void;
}

/** A partition this worker holds. */
interface Held {
  readonly lease: PartitionLease;
  readonly slot: CheckpointSlot;
  readonly pipeline: Pipeline | undefined;
}

/**
 * Runs one `Pipeline` per partition it holds, and holds partitions through leases (see
 * `PartitionLease`). Two loops, each every `leaseTtlMs / 3`:
 *
 * - the renewal loop renews its own `worker.<id>` entry and its partitions' leases, all at once
 *   and waiting on nothing else: a pipeline that hangs (a sink that never answers) cannot make
 *   another partition's lease lapse. A failed renewal loses the partition: it is forgotten at
 *   once (its fence already rejects every write) and its pipeline is stopped in the background;
 * - the management loop counts the live workers, gives up partitions above its fair share
 *   (`ceil(partitions / live workers)`: flush, checkpoint, release), tries to `create` the leases
 *   of free partitions below it (from its second round on, so that workers starting together
 *   see each other first), and writes the checkpoints every `checkpointMs`. A checkpoint that
 *   cannot be written (another owner claimed it, or the lease lapsed) loses the partition and
 *   releases its lease, so it is not orphaned for a TTL.
 *
 * A dead worker's leases expire after one TTL and are taken at the next round by the others,
 * whose new pipelines claim and resume from the partition's checkpoint (kept in KV, written with
 * compare-and-set) and backfill from the exchange what happened since.
 */
export class Worker {
  readonly #nc: NatsConnection;
  readonly #options: WorkerOptions;
  readonly #names: NatsNames;
  /** The lease TTL, ms: `leaseTtlMs` until the run reads the lease bucket's `max_age`, then that. */
  #ttlMs: number;
  readonly #held = new Map<number, Held>();
  /** Pipelines of lost partitions being stopped in the background, and their leases being released. */
  readonly #settling = new Set<Promise<void>>();
  readonly #wakes = new Set<() => void>();
  #running: Promise<void> | undefined;
  #stopping = false;

  /**
   * @param nc - The connection (yours: close it after `stop()`).
   * @param options - See {@link WorkerOptions}.
   */
  constructor(nc: NatsConnection, options: WorkerOptions) {
    if (!Number.isInteger(options.partitions) || options.partitions < 1)
      throw new Error(`Expected \`partitions\` to be a positive integer, got \`${options.partitions}\``);
    this.#nc = nc;
    this.#options = options;
    this.#names = options.names ?? natsNames();
    this.#ttlMs = options.leaseTtlMs ?? 10_000;
  }

  /** The partitions held now, ascending. */
  get partitions(): number[] {
    return [...this.#held.keys()].sort((a, b) => a - b);
  }

  /** Starts the loops (idempotent). A failure that ends them (e.g. the layout missing) is reported as an `error` event. */
  start(): void {
    this.#running ??= this.#run().catch((error: unknown) => this.#options.onEvent?.({ kind: 'error', partition: undefined, error }));
  }

  /**
   * Stops: checkpoints and releases every partition, waits for lost partitions' pipelines to stop
   * (a TTL at most: one still running then is reported as an `error` event and left behind; its
   * fence already rejects every write), then releases the worker's own entry. Every step has a
   * bound (NATS requests time out; the live-worker listing gets a third of a TTL), so this
   * settles.
   */
  async stop(): Promise<void> {
    this.#stopping = true;
    for (const wake of this.#wakes) wake();
    await this.#running;
  }

  async #run(): Promise<void> {
    const kvm = new Kvm(this.#nc);
    const leases = await kvm.open(this.#names.leaseBucket);
    const checkpoints = await kvm.open(this.#names.checkpointBucket);
    // An existing bucket keeps the max_age it was created with (kvm.create does not change it): the server's TTL is the one that counts.
    const { ttl } = await leases.status();
    if (ttl !== this.#ttlMs) {
      const error = new Error(
        `The lease bucket's max_age is ${ttl} ms, not leaseTtlMs ${this.#ttlMs}: ${ttl > 0 ? 'using the bucket’s' : 'leases would never expire'}`,
      );
      this.#options.onEvent?.({ kind: 'error', partition: undefined, error });
      if (ttl === 0) throw error;
      this.#ttlMs = ttl;
    }
    const self = new PartitionLease(leases, `worker.${this.#options.id}`, this.#options.id, this.#ttlMs);
    let managing = true;
    const renewing = this.#renewLoop(self, () => managing);
    await this.#manageLoop(leases, checkpoints);
    for (const partition of this.partitions) await this.#release(partition);
    managing = false;
    for (const wake of this.#wakes) wake();
    await renewing;
    // A pipeline's stop() settles within its own bound (`Pipeline.stop`); a stand-in that does not is left behind after a TTL.
    if (!(await within(Promise.all(this.#settling), this.#ttlMs))) {
      const error = new Error(`${this.#settling.size} lost partition pipeline(s) did not stop within ${this.#ttlMs} ms: left behind`);
      this.#options.onEvent?.({ kind: 'error', partition: undefined, error });
    }
    await self.release();
  }

  /** Renews the worker's entry and every held lease each round, until `running()` turns false. */
  async #renewLoop(self: PartitionLease, running: () => boolean): Promise<void> {
    while (running()) {
      try {
        if (!(await self.renew())) await self.acquire();
        await Promise.all(
          [...this.#held].map(async ([partition, held]) => {
            if (!(await held.lease.renew())) this.#lose(partition, held, false);
          }),
        );
      } catch (error) {
        this.#options.onEvent?.({ kind: 'error', partition: undefined, error });
      }
      if (running()) await this.#sleep(this.#ttlMs / 3);
    }
  }

  async #manageLoop(leases: KV, checkpoints: KV): Promise<void> {
    const checkpointMs = this.#options.checkpointMs ?? this.#ttlMs / 2;
    let checkpointedAt = Date.now();
    // The first round only registers (the renewal loop writes `worker.<id>`): workers starting together see each other before taking.
    let registered = false;
    while (!this.#stopping) {
      try {
        const share = Math.ceil(this.#options.partitions / Math.max(1, await liveWorkers(leases, this.#ttlMs / 3)));
        for (const partition of this.partitions.reverse()) if (this.#held.size > share && !this.#stopping) await this.#release(partition);
        for (let i = 0; registered && i < this.#options.partitions && this.#held.size < share && !this.#stopping; i++) {
          const partition = (i + this.#offset()) % this.#options.partitions;
          if (!this.#held.has(partition)) await this.#take(leases, checkpoints, partition);
        }
        registered = true;
        if (Date.now() - checkpointedAt >= checkpointMs) {
          checkpointedAt = Date.now();
          for (const [partition, held] of this.#held) await this.#save(partition, held);
        }
      } catch (error) {
        this.#options.onEvent?.({ kind: 'error', partition: undefined, error });
      }
      if (!this.#stopping) await this.#sleep(this.#ttlMs / 3);
    }
  }

  /** Waits `ms`, or less when `stop()` is called. */
  #sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.#wakes.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.#wakes.add(wake);
    });
  }

  /** Where this worker starts looking for free partitions: spreads the workers' first picks. */
  #offset(): number {
    let sum = 0;
    for (const char of this.#options.id) sum = (sum * 31 + char.charCodeAt(0)) % 1_000_003;
    return sum % this.#options.partitions;
  }

  async #take(leases: KV, checkpoints: KV, partition: number): Promise<void> {
    const key = `partition.${partition}`;
    const lease = new PartitionLease(leases, key, this.#options.id, this.#ttlMs);
    if (!(await lease.acquire())) return;
    const slot = new CheckpointSlot(checkpoints, key, lease);
    try {
      const checkpoint = await slot.load();
      const { exchange, partitions } = this.#options;
      const symbols = this.#options.symbols.filter((symbol) => partitionOf(exchange, symbol, partitions) === partition);
      const fence = (): void => lease.assertHeld();
      const writeTimeoutMs = lease.marginMs;
      const store = new NatsStore(this.#nc, { names: this.#names, fence, writeTimeoutMs });
      const sink = new NatsSink(this.#nc, {
        names: this.#names,
        scope: `p${partition}`,
        bars: false,
        fence,
        writeTimeoutMs,
        epoch: lease.revision,
      });
      const pipeline =
        symbols.length === 0
          ? undefined
          : this.#options.pipeline({ partition, symbols, store, sink, ...(checkpoint === undefined ? {} : { checkpoint }) });
      pipeline?.on('error', (error) => this.#options.onEvent?.({ kind: 'error', partition, error }));
      pipeline?.on('deadLetter', ({ sink: name, error }) => this.#options.onEvent?.({ kind: 'deadLetter', partition, sink: name, error }));
      pipeline?.start();
      this.#held.set(partition, { lease, slot, pipeline });
      this.#options.onEvent?.({ kind: 'acquired', partition, symbols, resumed: checkpoint !== undefined });
    } catch (error) {
      await lease.release();
      throw error;
    }
  }

  async #save(partition: number, held: Held): Promise<void> {
    if (held.pipeline === undefined) return;
    try {
      await held.slot.save(held.pipeline.checkpoint());
    } catch (error) {
      // Someone else claimed the checkpoint, or the lease lapsed: the partition is no longer ours.
      this.#options.onEvent?.({ kind: 'error', partition, error });
      this.#lose(partition, held, true);
    }
  }

  /**
   * Forgets a lost partition at once (its fence already rejects every write) and stops its
   * pipeline in the background, releasing the lease too when asked (a failed checkpoint).
   */
  #lose(partition: number, held: Held, release: boolean): void {
    if (this.#held.get(partition) !== held) return;
    this.#held.delete(partition);
    this.#options.onEvent?.({ kind: 'lost', partition });
    const settling = Promise.all([held.pipeline?.stop().catch(() => undefined), release ? held.lease.release() : undefined]).then(
      () => undefined,
    );
    this.#settling.add(settling);
    void settling.finally(() => this.#settling.delete(settling));
  }

  /**
   * Gives a partition up: flushes its pipeline (a TTL at most), checkpoints, stops the pipeline in
   * the background and releases the lease (see `PartitionLease.release`). The lease is renewed
   * meanwhile; a partition lost meanwhile is left to the renewal loop.
   */
  async #release(partition: number): Promise<void> {
    const held = this.#held.get(partition);
    if (held === undefined) return;
    if (held.pipeline !== undefined) {
      await within(held.pipeline.flush(), this.#ttlMs);
      await held.slot.save(held.pipeline.checkpoint()).catch(() => undefined);
    }
    if (this.#held.get(partition) !== held) return;
    this.#held.delete(partition);
    const settling = Promise.all([held.pipeline?.stop().catch(() => undefined), held.lease.release()]).then(() => undefined);
    this.#settling.add(settling);
    void settling.finally(() => this.#settling.delete(settling));
    this.#options.onEvent?.({ kind: 'released', partition });
  }
}

/**
 * Waits for `work` (its failure ignored), `ms` at most.
 *
 * @returns Whether `work` settled in time.
 */
async function within(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const settled = await Promise.race([
    work.then(
      () => true,
      () => true,
    ),
    new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms))),
  ]);
  clearTimeout(timer);
  return settled;
}
