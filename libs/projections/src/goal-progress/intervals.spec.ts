import { describe, expect, it } from '@jest/globals';
import { gammaP, gammaQuantile, lnGamma, poissonInterval, wilsonInterval } from './intervals.js';

describe('gamma functions', () => {
  it('computes ln Γ at known points', () => {
    expect(lnGamma(1)).toBeCloseTo(0, 12);
    expect(lnGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(lnGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
    expect(lnGamma(101)).toBeCloseTo(363.73937555556347, 9);
  });

  it('computes P(a, x) on both sides of a + 1', () => {
    expect(gammaP(1, 1)).toBeCloseTo(1 - Math.exp(-1), 14);
    expect(gammaP(1, 5)).toBeCloseTo(1 - Math.exp(-5), 14);
    // P(n, x) = 1 − e^−x Σ_{k<n} x^k / k!
    const erlang = (n: number, x: number) => 1 - Math.exp(-x) * Array.from({ length: n }, (_, k) => x ** k / Array.from({ length: k }, (_, j) => j + 1).reduce((a, b) => a * b, 1)).reduce((a, b) => a + b, 0);
    for (const [n, x] of [[3, 1], [3, 7], [10, 4], [10, 15], [25, 20], [25, 40]]) expect(gammaP(n, x)).toBeCloseTo(erlang(n, x), 12);
    expect(gammaP(3, 0)).toBe(0);
  });

  it('inverts P(a, x)', () => {
    for (const [p, a] of [[0.025, 1], [0.5, 3], [0.975, 11], [0.001, 50], [0.999, 200]]) expect(gammaP(a, gammaQuantile(p, a))).toBeCloseTo(p, 10);
    expect(gammaQuantile(0.975, 1)).toBeCloseTo(-Math.log(0.025), 10);
  });
});

describe('poissonInterval (exact, 95 %)', () => {
  it.each([
    [0, 0, 3.689],
    [1, 0.0253, 5.572],
    [5, 1.6235, 11.6683],
    [10, 4.7954, 18.3904],
    [100, 81.3639, 121.6268],
  ])('x = %s → [%s, %s]', (count, low, high) => {
    const interval = poissonInterval(count);
    expect(interval.low).toBeCloseTo(low, 3);
    expect(interval.high).toBeCloseTo(high, 3);
  });

  it('narrows with a lower confidence and refuses a count that is not one', () => {
    const ninety = poissonInterval(10, 0.9);
    expect(ninety.low).toBeCloseTo(5.4254, 3);
    expect(ninety.high).toBeCloseTo(16.9622, 3);
    expect(() => poissonInterval(2.5)).toThrow(RangeError);
    expect(() => poissonInterval(-1)).toThrow(RangeError);
  });
});

describe('wilsonInterval (95 %)', () => {
  it.each([
    [0.5, 100, 0.4038, 0.5962],
    [0.2, 50, 0.1124, 0.3304],
    [0, 10, 0, 0.2775],
    [1, 10, 0.7225, 1],
    [0.3, 1000, 0.2724, 0.3291],
  ])('p = %s of n = %s → [%s, %s]', (share, n, low, high) => {
    const interval = wilsonInterval(share, n)!;
    expect(interval.low).toBeCloseTo(low, 4);
    expect(interval.high).toBeCloseTo(high, 4);
  });

  it('has no interval without respondents', () => {
    expect(wilsonInterval(0.5, 0)).toBeNull();
  });
});
