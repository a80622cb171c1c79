import type { PipelineCheckpoint } from 'market-data-pipeline';
import type { KV } from '@nats-io/kv';
import type { PartitionLease } from './partition-lease.js';

/**
 * A partition's pipeline checkpoint in the checkpoint bucket, written with compare-and-set:
 * `update` with the revision this slot last wrote. A new owner's {@link CheckpointSlot.load}
 * writes the checkpoint back at once (a claim), so the key's revision moves at takeover: the old
 * owner's next `save` fails even when its own view of its lease still says held. A write fails
 * when the lease is not held (the fence) or when anyone else wrote the key since (a new owner):
 * a worker that lost its partition can never overwrite the new owner's state.
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
   * Reads the checkpoint and claims it: writes it back unchanged with compare-and-set (`null` when
   * the partition never had one), remembering the new revision for the next `save`. A write of
   * the old owner landing in between makes the claim fail; it is read again (three tries).
   *
   * @returns The checkpoint, or `undefined` when the partition never had one.
   * @throws When the lease is not held, or the claim failed three times.
   */
  async load(): Promise<PipelineCheckpoint | undefined> {
    for (let attempt = 1; ; attempt++) {
      const entry = await this.#kv.get(this.#key);
      const body = entry !== null && entry.operation === 'PUT' ? entry.string() : 'null';
      this.#lease.assertHeld();
      try {
        this.#revision = entry === null ? await this.#kv.create(this.#key, body) : await this.#kv.update(this.#key, body, entry.revision);
        return (JSON.parse(body) as PipelineCheckpoint | null) ?? undefined;
      } catch (error) {
        if (attempt === 3) throw error;
      }
    }
  }

  /**
   * Writes the checkpoint with compare-and-set (see the class summary). Call `load` first.
   *
   * @param checkpoint - The pipeline's `checkpoint()`.
   * @throws When the lease is not held or the key changed since this slot's last write.
   */
  async save(checkpoint: PipelineCheckpoint): Promise<void> {
    this.#lease.assertHeld();
    const body = JSON.stringify(checkpoint);
    this.#revision = await this.#kv.update(this.#key, body, this.#revision);
  }
}
