import { PostingList } from "./posting-list.js";

/** Postings as they lie in a loaded index file: one block of arrays, cut per term by `starts`. */
export interface PackedPostings {
  terms: readonly string[];
  starts: Uint32Array;
  docs: Uint32Array;
  tf: readonly Uint16Array[];
}

/**
 * Term → posting list. A loaded index keeps its postings packed and cuts a term's list out only
 * when a query first asks for it, so opening an index costs a term lookup table, not one object
 * per term.
 */
export class PostingDictionary {
  private readonly lists = new Map<string, PostingList>();
  private packed: PackedPostings | undefined;
  private packedIds: Map<string, number> | undefined;
  /** Packed terms removed or replaced since loading. */
  private readonly shadowed = new Set<string>();

  static fromPacked(packed: PackedPostings): PostingDictionary {
    const dictionary = new PostingDictionary();
    dictionary.packed = packed;
    dictionary.packedIds = new Map(packed.terms.map((term, t) => [term, t]));
    return dictionary;
  }

  get size(): number {
    return (
      this.lists.size +
      (this.packed === undefined ? 0 : this.packed.terms.length - this.shadowed.size)
    );
  }

  has(term: string): boolean {
    return this.lists.has(term) || this.packedIndex(term) !== undefined;
  }

  get(term: string): PostingList | undefined {
    const list = this.lists.get(term);
    if (list !== undefined) return list;
    const t = this.packedIndex(term);
    if (t === undefined) return undefined;
    const { starts, docs, tf } = this.packed!;
    const from = starts[t]!;
    const to = starts[t + 1]!;
    const view = PostingList.view(
      docs.subarray(from, to),
      tf.map((field) => field.subarray(from, to)),
    );
    this.lists.set(term, view);
    this.shadowed.add(term);
    return view;
  }

  set(term: string, list: PostingList): void {
    if (this.packedIndex(term) !== undefined) this.shadowed.add(term);
    this.lists.set(term, list);
  }

  delete(term: string): void {
    if (this.packedIndex(term) !== undefined) this.shadowed.add(term);
    this.lists.delete(term);
  }

  /** Every term with its list; cuts out all packed lists first, so iteration may mutate. */
  entries(): Array<[string, PostingList]> {
    if (this.packed !== undefined) {
      for (const term of this.packed.terms) if (!this.shadowed.has(term)) this.get(term);
      this.packed = undefined;
      this.packedIds = undefined;
      this.shadowed.clear();
    }
    return [...this.lists.entries()];
  }

  private packedIndex(term: string): number | undefined {
    if (this.packedIds === undefined || this.shadowed.has(term)) return undefined;
    return this.packedIds.get(term);
  }
}
