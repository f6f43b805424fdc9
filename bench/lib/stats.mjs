// Small order statistics for the bench. Inputs are plain arrays of numbers; NaN and
// non-finite values are dropped so one failed sample cannot poison a median.

/** @param {number[]} values @param {number} p 0..100 */
export function percentile(values, p) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  if (p <= 0) return sorted[0];
  if (p >= 100) return sorted[sorted.length - 1];
  // Linear interpolation between closest ranks.
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

/** @param {number[]} values */
export function median(values) {
  return percentile(values, 50);
}

/** Ratio a / b, or undefined when either side is missing or b is not positive. */
export function ratio(a, b) {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b <= 0) return undefined;
  return a / b;
}
