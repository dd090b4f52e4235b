/**
 * Holm–Bonferroni step-down adjustment: sort the m p-values ascending, multiply the i-th
 * (0-based) by m − i, carry the running maximum so adjusted values never decrease, cap at 1.
 * Controls the family-wise error rate over the slices tested, with no independence assumption.
 */
export function holmAdjust(pValues: readonly (number | null)[]): (number | null)[] {
  const tested = pValues
    .map((p, index) => ({ p, index }))
    .filter((entry): entry is { p: number; index: number } => entry.p !== null)
    .sort((x, y) => x.p - y.p || x.index - y.index);
  const adjusted: (number | null)[] = pValues.map(() => null);
  const m = tested.length;
  let running = 0;
  tested.forEach(({ p, index }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[index] = running;
  });
  return adjusted;
}
