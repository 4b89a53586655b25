/**
 * Confidence intervals for goal values, with no statistics package:
 *
 * - counts: the exact (Garwood) Poisson interval, from the chi-square quantiles written as gamma
 *   quantiles: low = Γ⁻¹(α/2; x, 1), high = Γ⁻¹(1 − α/2; x + 1, 1), and low = 0 for x = 0;
 * - shares of survey respondents: the Wilson score interval.
 *
 * The gamma quantile inverts the regularised lower incomplete gamma function P(a, x) (series below
 * a + 1, Lentz's continued fraction above, as in Numerical Recipes) by bisection, which always
 * converges and is ample for a query.
 */

export interface Interval {
  low: number;
  high: number;
}

/** The 97.5 % point of the standard normal distribution: two-sided 95 %. */
export const Z_95 = 1.959963984540054;

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(z) for z > 0 (Lanczos, g = 7). */
export function lnGamma(z: number): number {
  if (z < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * z)) - lnGamma(1 - z);
  const x = z - 1;
  let sum = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i] / (x + i);
  const t = x + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(sum);
}

const EPSILON = 1e-15;
const TINY = 1e-300;

/** The regularised lower incomplete gamma function P(a, x), a > 0. */
export function gammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  const front = Math.exp(-x + a * Math.log(x) - lnGamma(a));
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 10_000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * EPSILON) break;
    }
    return Math.min(1, sum * front);
  }
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < EPSILON) break;
  }
  return Math.max(0, 1 - front * h);
}

/** The x with P(a, x) = p: the p-quantile of the gamma distribution with shape a and scale 1. */
export function gammaQuantile(p: number, a: number): number {
  if (!(p > 0)) return 0;
  if (!(p < 1)) return Number.POSITIVE_INFINITY;
  let low = 0;
  let high = Math.max(1, a);
  while (gammaP(a, high) < p) {
    low = high;
    high *= 2;
  }
  for (let i = 0; i < 200 && high - low > 1e-12 * Math.max(1, high); i++) {
    const mid = (low + high) / 2;
    if (gammaP(a, mid) < p) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

/** The exact two-sided Poisson interval for an observed count (95 % unless told). */
export function poissonInterval(count: number, confidence = 0.95): Interval {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`a count is a whole number ≥ 0: ${count}`);
  const alpha = 1 - confidence;
  return {
    low: count === 0 ? 0 : gammaQuantile(alpha / 2, count),
    high: gammaQuantile(1 - alpha / 2, count + 1),
  };
}

/** The Wilson score interval for a share of `n` respondents (z = 1.96 for 95 %); null without respondents. */
export function wilsonInterval(share: number, n: number, z = Z_95): Interval | null {
  if (!(n > 0)) return null;
  const p = Math.min(1, Math.max(0, share));
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}
