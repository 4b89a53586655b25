/** A figure as queries show it: rounded to `decimals`, and never -0 (JSON shows it as 0, a reader of the object would not). */
export function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor + 0;
}
