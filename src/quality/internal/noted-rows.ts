/** Note bit: the note is a row `checkValidity` would count as one bar. */
export const ROW = 1;
/** Note bit: that row is bad (breaks an OHLCV rule other than alignment). */
export const BAD_ROW = 2;
/** Note bit: the note is one check `checkConsistency` would make. */
export const CHECK = 4;
/** Note bit: that check fails. */
export const FAILED_CHECK = 8;

/**
 * What a quality window saw besides the bars it holds — rows refused before they became bars,
 * comparisons with another answer — each placed at the time it was noted, oldest first, with
 * running counts. A private store of `QualityTracker`.
 *
 * Invariant: note times never decrease (the caller notes at its current time); the counts are
 * those of the notes held.
 */
export class NotedRows {
  #times: number[] = [];
  #notes: number[] = [];
  /** Index of the oldest note held. */
  #head = 0;
  #rows = 0;
  #badRows = 0;
  #checks = 0;
  #failedChecks = 0;

  /** Rows held (notes with {@link ROW}). */
  get rows(): number {
    return this.#rows;
  }

  /** Rows held that are bad ({@link BAD_ROW}). */
  get badRows(): number {
    return this.#badRows;
  }

  /** Consistency checks held ({@link CHECK}). */
  get checks(): number {
    return this.#checks;
  }

  /** Consistency checks held that failed ({@link FAILED_CHECK}). */
  get failedChecks(): number {
    return this.#failedChecks;
  }

  /**
   * Appends one note.
   *
   * @param time - When it was noted, epoch ms, at or after every note held.
   * @param note - {@link ROW}, {@link BAD_ROW}, {@link CHECK} and {@link FAILED_CHECK} bits.
   */
  push(time: number, note: number): void {
    this.#times.push(time);
    this.#notes.push(note);
    this.#count(note, 1);
  }

  /**
   * Forgets the notes made before `start`.
   *
   * @param start - Epoch ms.
   */
  dropBefore(start: number): void {
    while (this.#head < this.#times.length && (this.#times[this.#head] as number) < start) {
      this.#count(this.#notes[this.#head] as number, -1);
      this.#head++;
    }
    if (this.#head > 64 && this.#head * 2 > this.#times.length) {
      this.#times = this.#times.slice(this.#head);
      this.#notes = this.#notes.slice(this.#head);
      this.#head = 0;
    }
  }

  #count(note: number, by: number): void {
    if ((note & ROW) !== 0) this.#rows += by;
    if ((note & BAD_ROW) !== 0) this.#badRows += by;
    if ((note & CHECK) !== 0) this.#checks += by;
    if ((note & FAILED_CHECK) !== 0) this.#failedChecks += by;
  }
}
