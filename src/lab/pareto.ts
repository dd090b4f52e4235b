/**
 * Pareto fronts: the configurations no other configuration beats on both axes at once — higher
 * (or equal) quality for lower (or equal) cost, strictly better on at least one. "Cost" is any
 * lower-is-better axis: p95 latency, money per 1,000 queries.
 *
 * Two configurations with exactly the same quality and cost do not dominate each other, so both
 * stay on the front. Points whose cost or quality is not a finite number (a hosted provider
 * without a price) cannot be placed and are returned apart.
 */

export interface ParetoPoint {
  id: string;
  /** Higher is better. */
  quality: number;
  /** Lower is better. */
  cost: number;
}

export interface ParetoFront {
  /** Ids on the front, cheapest first. */
  front: string[];
  /** Ids that could not be placed (non-finite quality or cost). */
  unplaced: string[];
}

/** Whether `a` dominates `b`: at least as good on both axes and strictly better on one. */
export function dominates(a: ParetoPoint, b: ParetoPoint): boolean {
  return a.quality >= b.quality && a.cost <= b.cost && (a.quality > b.quality || a.cost < b.cost);
}

export function paretoFront(points: readonly ParetoPoint[]): ParetoFront {
  const unplaced = points
    .filter((p) => !Number.isFinite(p.quality) || !Number.isFinite(p.cost))
    .map((p) => p.id);
  // Cheapest first, best quality first among equal costs; ties keep input order.
  const placed = points
    .map((point, order) => ({ point, order }))
    .filter(({ point }) => Number.isFinite(point.quality) && Number.isFinite(point.cost))
    .sort(
      (a, b) =>
        a.point.cost - b.point.cost || b.point.quality - a.point.quality || a.order - b.order,
    );
  const front: ParetoPoint[] = [];
  for (const { point } of placed) {
    const last = front[front.length - 1];
    // Sorted by cost, and the front's last point has the best quality so far: if anything
    // placed earlier dominates this point, that one does.
    if (last === undefined || !dominates(last, point)) front.push(point);
  }
  return { front: front.map((p) => p.id), unplaced };
}
