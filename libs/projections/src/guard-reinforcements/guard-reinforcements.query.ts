import type { CursorKind, DocumentPage, PageCursor, RangeCondition, ReadStore, StoredDocument } from '@app/read-store';
import { plannedHours } from '../guard-hours.js';
import { round } from '../rounding.js';
import { daysBetween } from '../situation-picture/local-time.js';
import { type GuardReinforcementEntry, guardReinforcementsProjection } from './guard-reinforcements.projection.js';

export const GUARD_REINFORCEMENT_STATUSES = ['planned', 'running', 'ended'] as const;
/**
 * As of a day (the request's local date): `planned` before `from`, `running` from `from` through the
 * last day (`endedOn` when it was ended early, else `to`), `ended` after it.
 */
export type GuardReinforcementStatus = (typeof GUARD_REINFORCEMENT_STATUSES)[number];

/** One reinforcement as `GET /guard-reinforcements` answers it. */
export interface GuardReinforcementView extends GuardReinforcementEntry {
  status: GuardReinforcementStatus;
  /** hoursPerWeek × days from `from` through `lastDay` ÷ 7, 2 decimals. */
  plannedHours: number;
  /** The same through today (or `lastDay`, if earlier): what the logged hours can be held against. */
  plannedHoursToDate: number;
}

export interface GuardReinforcementFilter {
  municipalityId: string;
  /** Covers this place (among others, maybe). */
  placeId?: string;
  /** Runs on this day, `YYYY-MM-DD`: from ≤ day ≤ lastDay. */
  activeOn?: string;
  /** As of `today`. */
  status?: GuardReinforcementStatus;
  actionPlanId?: string;
  measureId?: string;
}

/** The sort field of the list: latest start first, then by id. */
export const GUARD_REINFORCEMENTS_SORT = { field: 'from' } as const;

/** The list's cursors: its own (another query's are refused), after a start day. */
export const GUARD_REINFORCEMENTS_CURSOR: CursorKind = { query: 'guard-reinforcements', sortValue: 'string' };

/** Rows read at a time when filters the store cannot narrow (place, last day) may skip many. */
const SCAN_BATCH = 200;

const READ_MODEL = guardReinforcementsProjection.name;

export function guardReinforcementStatus(entry: Pick<GuardReinforcementEntry, 'from' | 'lastDay'>, today: string): GuardReinforcementStatus {
  if (entry.lastDay < today) return 'ended';
  return today < entry.from ? 'planned' : 'running';
}

/** The entry with its status and planned hours as of `today` (`YYYY-MM-DD` in the reporting time zone). */
export function guardReinforcementView(entry: GuardReinforcementEntry, today: string): GuardReinforcementView {
  const plannedThrough = (last: string) => (last < entry.from ? 0 : plannedHours(entry.hoursPerWeek, daysBetween(entry.from, last) + 1));
  return {
    ...entry,
    loggedHours: round(entry.loggedHours, 2),
    loggedGuardHours: round(entry.loggedGuardHours, 2),
    status: guardReinforcementStatus(entry, today),
    plannedHours: plannedThrough(entry.lastDay),
    plannedHoursToDate: plannedThrough(today < entry.lastDay ? today : entry.lastDay),
  };
}

/** One reinforcement, or undefined when the read model has none by that id. */
export async function getGuardReinforcement(store: ReadStore, id: string, today: string): Promise<GuardReinforcementView | undefined> {
  const entry = await store.get<GuardReinforcementEntry & StoredDocument>(READ_MODEL, id);
  return entry && guardReinforcementView(entry, today);
}

/**
 * One page of a municipality's reinforcements, latest start first. The store narrows the
 * municipality's range of start days (`activeOn` and `status` bound `from`) and the plan and measure;
 * the place and the last day are checked as the rows are read, so a page may read further than
 * `limit` rows. A page holds fewer than `limit` items only when it is the last.
 */
export async function queryGuardReinforcements(
  store: ReadStore,
  filter: GuardReinforcementFilter,
  today: string,
  page: { after?: PageCursor; limit: number },
): Promise<DocumentPage<GuardReinforcementView>> {
  const { municipalityId, placeId, activeOn, status, actionPlanId, measureId } = filter;
  const where: Record<string, string> = { municipalityId };
  if (actionPlanId !== undefined) where.actionPlanId = actionPlanId;
  if (measureId !== undefined) where.measureId = measureId;

  // Running on every one of these days: from ≤ the first, lastDay ≥ the last. Bounds on `from` go
  // to the store (its index); bounds on `lastDay` are checked as the rows come.
  const runsOn = [activeOn, status === 'running' ? today : undefined].filter((day): day is string => day !== undefined).sort();
  const startsAfter = status === 'planned' ? today : undefined;
  const range: RangeCondition | undefined =
    runsOn.length > 0 || startsAfter !== undefined ? { field: GUARD_REINFORCEMENTS_SORT.field, gt: startsAfter, lte: runsOn[0] } : undefined;
  const lastDayFrom = runsOn.at(-1);
  const lastDayBefore = status === 'ended' ? today : undefined;
  const checked = placeId !== undefined || lastDayFrom !== undefined || lastDayBefore !== undefined;
  const keep = (entry: GuardReinforcementEntry) =>
    (placeId === undefined || entry.placeIds.includes(placeId)) &&
    (lastDayFrom === undefined || entry.lastDay >= lastDayFrom) &&
    (lastDayBefore === undefined || entry.lastDay < lastDayBefore);

  const items: GuardReinforcementEntry[] = [];
  let after = page.after;
  for (;;) {
    const rows = await store.query<GuardReinforcementEntry & StoredDocument>(READ_MODEL, {
      where,
      range,
      orderBy: { field: GUARD_REINFORCEMENTS_SORT.field, direction: 'desc' },
      after,
      // One more than a page tells whether there is a next page.
      limit: checked ? Math.max(page.limit + 1, SCAN_BATCH) : page.limit + 1,
    });
    for (const entry of rows.items) {
      if (!keep(entry)) continue;
      if (items.length === page.limit) {
        const last = items[items.length - 1];
        return { items: items.map((item) => guardReinforcementView(item, today)), next: { value: last.from, id: last.id } };
      }
      items.push(entry);
    }
    if (rows.next === null) return { items: items.map((item) => guardReinforcementView(item, today)), next: null };
    after = rows.next;
  }
}
