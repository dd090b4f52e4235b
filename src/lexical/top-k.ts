/**
 * Keeps the k best (score, slot) pairs seen: a binary min-heap on typed arrays whose root is
 * the worst kept pair. Ties on score keep the lower slot (earlier-indexed document), so
 * results are deterministic.
 */
export class TopK {
  private readonly scores: Float64Array;
  private readonly slots: Int32Array;
  private size = 0;

  constructor(private readonly k: number) {
    this.scores = new Float64Array(k);
    this.slots = new Int32Array(k);
  }

  offer(score: number, slot: number): void {
    if (this.size < this.k) {
      this.scores[this.size] = score;
      this.slots[this.size] = slot;
      this.size += 1;
      this.siftUp(this.size - 1);
    } else if (this.k > 0 && this.better(score, slot, this.scores[0]!, this.slots[0]!)) {
      this.scores[0] = score;
      this.slots[0] = slot;
      this.siftDown(0);
    }
  }

  /** The kept pairs, best first. */
  drain(): Array<{ slot: number; score: number }> {
    const out: Array<{ slot: number; score: number }> = [];
    for (let i = 0; i < this.size; i += 1)
      out.push({ slot: this.slots[i]!, score: this.scores[i]! });
    out.sort((x, y) => y.score - x.score || x.slot - y.slot);
    this.size = 0;
    return out;
  }

  private better(scoreA: number, slotA: number, scoreB: number, slotB: number): boolean {
    return scoreA > scoreB || (scoreA === scoreB && slotA < slotB);
  }

  private siftUp(index: number): void {
    let child = index;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      if (
        !this.better(
          this.scores[parent]!,
          this.slots[parent]!,
          this.scores[child]!,
          this.slots[child]!,
        )
      )
        break;
      this.swap(parent, child);
      child = parent;
    }
  }

  private siftDown(index: number): void {
    let parent = index;
    for (;;) {
      const left = 2 * parent + 1;
      if (left >= this.size) break;
      const right = left + 1;
      let worst = left;
      if (
        right < this.size &&
        this.better(this.scores[left]!, this.slots[left]!, this.scores[right]!, this.slots[right]!)
      )
        worst = right;
      if (
        !this.better(
          this.scores[parent]!,
          this.slots[parent]!,
          this.scores[worst]!,
          this.slots[worst]!,
        )
      )
        break;
      this.swap(parent, worst);
      parent = worst;
    }
  }

  private swap(a: number, b: number): void {
    const score = this.scores[a]!;
    const slot = this.slots[a]!;
    this.scores[a] = this.scores[b]!;
    this.slots[a] = this.slots[b]!;
    this.scores[b] = score;
    this.slots[b] = slot;
  }
}
