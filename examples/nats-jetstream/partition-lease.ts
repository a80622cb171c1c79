import type { KV } from '@nats-io/kv';

/**
 * One lease in a KV bucket whose `max_age` is the lease TTL (see `ensureNatsLayout`): `create`
 * acquires it (fails while another holder's entry lives), `update` with the expected revision
 * renews it (fails once anyone else wrote the key, i.e. after it expired and was taken), and
 * the bucket's `max_age` expires it when its holder stops renewing. Consensus is the server's.
 *
 * {@link PartitionLease.held} is the holder's own, conservative view: true only while less than
 * `ttl - margin` ms passed since the last successful write was *sent*, so it turns false before
 * the server can let anyone else take the key. Everything a worker writes for the partition
 * checks it first (the fence): a worker that lost its lease writes nothing.
 */
export class PartitionLease {
  /** The lease's key, e.g. `partition.3`. */
  readonly key: string;
  /** Who holds it (the value written). */
  readonly owner: string;
  readonly #kv: KV;
  readonly #ttlMs: number;
  readonly #marginMs: number;
  #revision = 0;
  /** When the last successful write was sent, `performance.now()` ms (monotonic: a wall-clock step cannot extend `held`). */
  #sentAt = Number.NEGATIVE_INFINITY;

  /**
   * @param kv - The lease bucket.
   * @param key - The lease's key.
   * @param owner - The holder's id.
   * @param ttlMs - The bucket's `max_age`, ms.
   * @param marginMs - How much sooner than the TTL `held` turns false, ms. @defaultValue ttlMs / 4
   */
  constructor(kv: KV, key: string, owner: string, ttlMs: number, marginMs = ttlMs / 4) {
    this.#kv = kv;
    this.key = key;
    this.owner = owner;
    this.#ttlMs = ttlMs;
    this.#marginMs = marginMs;
  }

  /**
   * How much sooner than the TTL {@link PartitionLease.held} turns false, ms: a write started while
   * `held` and given at most this long to settle settles before the server can let anyone else
   * take the key (the fenced writers' `writeTimeoutMs`).
   */
  get marginMs(): number {
    return this.#marginMs;
  }

  /** The revision of this holder's last write of the key (0 when not held): changes with every acquisition. */
  get revision(): number {
    return this.#revision;
  }

  /** Whether this holder may still act on the lease (see the class summary). */
  get held(): boolean {
    return this.#revision > 0 && performance.now() - this.#sentAt < this.#ttlMs - this.#marginMs;
  }

  /** Throws unless {@link PartitionLease.held}; the fence of the partition's store and sink. */
  assertHeld(): void {
    if (!this.held) throw new Error(`${this.owner} no longer holds ${this.key}`);
  }

  /**
   * Tries to take the lease (`create`: only when nobody holds it).
   *
   * @returns Whether it is now held.
   */
  async acquire(): Promise<boolean> {
    const sentAt = performance.now();
    try {
      this.#revision = await this.#kv.create(this.key, this.owner);
      this.#sentAt = sentAt;
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Renews the lease (`update` with the revision last written). A failure means it was lost.
   *
   * @returns Whether it is still held.
   */
  async renew(): Promise<boolean> {
    if (this.#revision === 0) return false;
    const sentAt = performance.now();
    try {
      this.#revision = await this.#kv.update(this.key, this.owner, this.#revision);
      this.#sentAt = sentAt;
      return true;
    } catch {
      this.#revision = 0;
      return false;
    }
  }

  /**
   * Gives the lease up: `held` turns false at once (the fences reject every new write), then,
   * after the margin (by then every write started while held has settled, given at most the
   * margin: see `marginMs`), deletes the key if this holder's write is still the last.
   */
  async release(): Promise<void> {
    if (this.#revision === 0) return;
    const revision = this.#revision;
    this.#revision = 0;
    await new Promise((resolve) => setTimeout(resolve, this.#marginMs));
    await this.#kv.delete(this.key, { previousSeq: revision }).catch(() => undefined);
  }
}
