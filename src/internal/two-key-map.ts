/**
 * A map keyed by two values (a symbol and a timeframe, a document's name and symbol) as maps
 * of maps: a lookup builds no combined key string, which per-record paths of the pipeline,
 * its store and its sinks would otherwise do for every record. Never exported from the package.
 */
export class TwoKeyMap<A, B, V> {
  readonly #outer = new Map<A, Map<B, V>>();

  /** The value under `(a, b)`, if any. */
  get(a: A, b: B): V | undefined {
    return this.#outer.get(a)?.get(b);
  }

  /** Sets the value under `(a, b)`. */
  set(a: A, b: B, value: V): void {
    let inner = this.#outer.get(a);
    if (inner === undefined) {
      inner = new Map();
      this.#outer.set(a, inner);
    }
    inner.set(b, value);
  }

  /** Removes the value under `(a, b)`; `true` when there was one. */
  delete(a: A, b: B): boolean {
    return this.#outer.get(a)?.delete(b) ?? false;
  }

  /** Every entry, grouped by the first key in insertion order. */
  *entries(): Generator<[A, B, V]> {
    for (const [a, inner] of this.#outer) for (const [b, value] of inner) yield [a, b, value];
  }
}
