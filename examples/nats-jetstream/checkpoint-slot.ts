import type { PipelineCheckpoint } from 'market-data-pipeline';
import type { KV } from '@nats-io/kv';
import type { PartitionLease } from './partition-lease.js';

/**
 * A partition's pipeline checkpoint in the checkpoint bucket, written with compare-and-set:
 * `create` the first time, then `update` with the revision this slot last read or wrote. A
 * write fails when the lease is not held (the fence) or when anyone else wrote the key since
 * (a new owner): a worker that lost its partition can never overwrite the new owner's state.
 */
export class CheckpointSlot {
  readonly #kv: KV;
  readonly #key: string;
  readonly #lease: PartitionLease;
  #revision = 0;

  /**
   * @param kv - The checkpoint bucket.
   * @param key - The partition's key, e.g. `partition.3`.
   * @param lease - The partition's lease (checked before every write).
   */
  constructor(kv: KV, key: string, lease: PartitionLease) {
    this.#kv = kv;
    this.#key = key;
    this.#lease = lease;
  }

  /**
   * Reads the checkpoint and remembers its revision for the next `save`.
   *
   * @returns The checkpoint, or `undefined` when the partition never had one.
   */
  async load(): Promise<PipelineCheckpoint | undefined> {
    const entry = await this.#kv.get(this.#key);
    if (entry === null || entry.operation !== 'PUT') return undefined;
    this.#revision = entry.revision;
    return entry.json<PipelineCheckpoint>();
  }

  /**
   * Writes the checkpoint with compare-and-set (see the class summary).
   *
   * @param checkpoint - The pipeline's `checkpoint()`.
   * @throws When the lease is not held or the key changed since this slot's last read or write.
   */
  async save(checkpoint: PipelineCheckpoint): Promise<void> {
    this.#lease.assertHeld();
    const body = JSON.stringify(checkpoint);
    this.#revision = this.#revision === 0 ? await this.#kv.create(this.#key, body) : await this.#kv.update(this.#key, body, this.#revision);
  }
}
