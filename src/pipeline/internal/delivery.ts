import type { DataFormat } from '../../schemas/data-request-schema.js';
import type { DatasetRecord, Sink, SinkRecord, SinkWriteResult } from '../sink.js';
import { SinkChannel, type SinkChannelOptions } from './sink-channel.js';
import type { PipelineEmitter } from './pipeline-emitter.js';

/** How {@link Delivery} builds its sink channels: each channel's settings, and the emitter its failures are reported on. */
export type DeliveryOptions = Omit<SinkChannelOptions, 'onDeadLetter' | 'onFailedAttempt'> & { readonly emitter: PipelineEmitter };

/**
 * Owns delivery: one bounded, retried, ordered {@link SinkChannel} per sink, which records each
 * sink accepts, and what is still pending for a checkpoint. Dead letters and failed attempts are
 * reported as events.
 */
export class Delivery {
  readonly #channels: readonly SinkChannel[];
  readonly #emitter: PipelineEmitter;

  constructor(sinks: readonly Sink[], options: DeliveryOptions) {
    this.#emitter = options.emitter;
    const { emitter: _emitter, ...settings } = options;
    this.#channels = sinks.map(
      (sink) =>
        new SinkChannel(sink, {
          ...settings,
          onDeadLetter: (record, error, attempts) => this.#emitter.emit('deadLetter', { sink: sink.name, record, error, attempts }),
          onFailedAttempt: (error) => this.#emitter.emit('error', { phase: 'sink', error }),
        }),
    );
  }

  /** Queues a record on every sink that accepts it, without waiting (alerts raised inside synchronous steps). */
  enqueue(record: SinkRecord): void {
    for (const channel of this.#channels) if (accepts(channel.sink, record)) this.#push(channel, record);
  }

  /** Queues records, in order, on every sink that accepts them, waiting while a queue is full. */
  async deliver(records: readonly SinkRecord[], signal: AbortSignal | undefined): Promise<void> {
    if (records.length === 0) return;
    for (const channel of this.#channels) {
      const sink = channel.sink;
      const accepted = records.every((record) => accepts(sink, record)) ? records : records.filter((record) => accepts(sink, record));
      if (accepted.length > 0) await channel.pushAll(accepted, signal);
    }
  }

  /** Names of the sinks that write datasets in `format`. */
  datasetSinks(format: DataFormat): readonly string[] {
    return this.#channels.filter((channel) => (channel.sink.datasetFormats ?? []).includes(format)).map((channel) => channel.sink.name);
  }

  /**
   * Writes a dataset to each sink that writes its format, and waits for each answer. Returns
   * the first output path a sink reported and why any sink failed.
   */
  async deliverDataset(
    record: DatasetRecord,
    signal: AbortSignal | undefined,
  ): Promise<{ readonly outputPath: string | null; readonly failure: string | undefined }> {
    let outputPath: string | null = null;
    let failure: string | undefined;
    for (const channel of this.#channels) {
      if (!(channel.sink.datasetFormats ?? []).includes(record.format)) continue;
      try {
        const result: SinkWriteResult | undefined = await channel.deliver(record, signal);
        outputPath ??= result?.outputPath ?? null;
      } catch (error) {
        signal?.throwIfAborted();
        failure ??= `Sink ${channel.sink.name} could not write the dataset: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
    return { outputPath, failure };
  }

  /** Resolves when every queue is empty (each record written or dead-lettered), then calls each sink's `flush`. */
  async flush(signal: AbortSignal | undefined): Promise<void> {
    await Promise.all(this.#channels.map((channel) => channel.drain()));
    const flushSignal = signal ?? new AbortController().signal;
    for (const channel of this.#channels) await channel.sink.flush?.({ signal: flushSignal });
  }

  /** Aborts writes in flight; queued records stay for {@link Delivery.pending}. */
  async close(): Promise<void> {
    await Promise.all(this.#channels.map((channel) => channel.close()));
  }

  /** Records not yet delivered, per sink name, oldest first. */
  pending(): Record<string, SinkRecord[]> {
    const pending: Record<string, SinkRecord[]> = {};
    for (const channel of this.#channels) pending[channel.sink.name] = [...channel.pending];
    return pending;
  }

  /** Queues a checkpoint's pending records again, each on the sink it was pending for. */
  restore(pending: Readonly<Record<string, readonly SinkRecord[]>>): void {
    for (const channel of this.#channels) for (const record of pending[channel.sink.name] ?? []) this.#push(channel, record);
  }

  #push(channel: SinkChannel, record: SinkRecord): void {
    channel.push(record).catch((error: unknown) => this.#emitter.emit('error', { phase: 'sink', error }));
  }
}

function accepts(sink: Sink, record: SinkRecord): boolean {
  if (record.kind === 'dataset' && !(sink.datasetFormats ?? []).includes(record.format)) return false;
  return sink.accepts?.(record) ?? true;
}
