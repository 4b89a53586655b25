import { round } from './rounding.js';

const HOUR_MS = 3_600_000;

/** The hours a reinforcement plans over `days` days at `hoursPerWeek`, 2 decimals, as queries show them. */
export function plannedHours(hoursPerWeek: number, days: number): number {
  return round((hoursPerWeek * days) / 7, 2);
}

/**
 * The presence a patrol visit logs: hours from arrival to departure (never negative, and 0 when
 * either instant is unreadable), and those hours times its guards (one when it names none).
 */
export function visitPresence(arrivedMs: number, departedMs: number, guards: number | null): { hours: number; guardHours: number } {
  const hours = Math.max(0, (departedMs - arrivedMs) / HOUR_MS) || 0;
  return { hours, guardHours: hours * (guards ?? 1) };
}
