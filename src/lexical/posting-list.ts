/**
 * The documents holding one term, in increasing slot order, with the term's frequency in each
 * field. Growable so that documents can be added after a build; loaded lists are views on the
 * index file until they first grow.
 */
export class PostingList {
  docs: Uint32Array;
  /** tf[f][i]: frequency in field f of document docs[i]. */
  tf: Uint16Array[];
  length: number;

  constructor(fieldCount: number, capacity = 4) {
    this.docs = new Uint32Array(capacity);
    this.tf = Array.from({ length: fieldCount }, () => new Uint16Array(capacity));
    this.length = 0;
  }

  static view(docs: Uint32Array, tf: Uint16Array[]): PostingList {
    const list = new PostingList(0, 0);
    list.docs = docs;
    list.tf = tf;
    list.length = docs.length;
    return list;
  }

  /** Appends a document; slots must arrive in increasing order. */
  append(slot: number, frequencies: readonly number[]): void {
    if (this.length === this.docs.length) this.grow();
    this.docs[this.length] = slot;
    for (let f = 0; f < this.tf.length; f += 1) {
      this.tf[f]![this.length] = Math.min(frequencies[f] ?? 0, 0xffff);
    }
    this.length += 1;
  }

  /** Index of `slot` in this list, or -1. */
  find(slot: number): number {
    let low = 0;
    let high = this.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const value = this.docs[middle]!;
      if (value === slot) return middle;
      if (value < slot) low = middle + 1;
      else high = middle - 1;
    }
    return -1;
  }

  /** Keeps only live documents, renumbering slots through `remap` (-1 = deleted). */
  compact(remap: Int32Array): void {
    let kept = 0;
    for (let i = 0; i < this.length; i += 1) {
      const slot = remap[this.docs[i]!]!;
      if (slot < 0) continue;
      this.docs[kept] = slot;
      for (const field of this.tf) field[kept] = field[i]!;
      kept += 1;
    }
    this.length = kept;
  }

  private grow(): void {
    const capacity = Math.max(4, this.docs.length * 2);
    const docs = new Uint32Array(capacity);
    docs.set(this.docs.subarray(0, this.length));
    this.docs = docs;
    this.tf = this.tf.map((field) => {
      const grown = new Uint16Array(capacity);
      grown.set(field.subarray(0, this.length));
      return grown;
    });
  }
}
